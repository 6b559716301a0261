"""The legal proceedings that stop extrajudicial collection."""

LEGAL_STATUSES = [
    ("lawsuit", "Served with a collection lawsuit"),
    ("insolvency", "In insolvency proceedings"),
]
