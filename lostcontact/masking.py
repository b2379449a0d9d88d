def mask_id(id_number: str) -> str:
    """410402********1234: enough to tell two people apart on a list, never the whole number."""
    if len(id_number) < 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]
