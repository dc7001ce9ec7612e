"""The hall itself: its site settings and the "about the hall" page (data/hall.json)."""

from .files import read_json

HALL_SETTINGS = read_json("hall.json")["settings"]
ABOUT_PAGE = read_json("hall.json")["about_page"]
