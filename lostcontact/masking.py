def mask_id(id_number: str) -> str:
    """410402********1234: enough to tell two people apart on a list, never the whole number."""
    if len(id_number) < 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def mask_document(number: str) -> str:
    """E*****678: a travel document's number as lists show it (PROGRAMMES.md §2), like ID numbers."""
    if len(number) < 6:
        return "*" * len(number)
    return number[0] + "*" * (len(number) - 4) + number[-3:]
