"""lostcontact: the case lifecycle of party members who have lost contact with their organisation."""
__version__ = "0.1.0"
