"""Writers of the official forms and the tally: HTML (Jinja2), XLSX (openpyxl), CSV, PDF (WeasyPrint)."""
