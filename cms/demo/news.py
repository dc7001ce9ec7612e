"""News of the hall, its departments and districts (data/news.json).

`module` is the name of the department or district that publishes the item;
null publishes it in the city's news list.
"""

from .files import dates, read_json

NEWS = [dates(record, "date") for record in read_json("news.json")]
