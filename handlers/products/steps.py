"""Step names of the products feature, one class per flow.

The values are what users' saved conversations hold: never change one.
"""

from typing import Final


class Products:
    """`/dangky` and `/sanpham`: registering a product, its summary, the list."""

    REGISTER: Final = "products.register"
    NAME: Final = "products.name"
    GROUP: Final = "products.group"
    SET: Final = "products.set"
    KIND: Final = "products.kind"
    STARS: Final = "products.stars"
    CERT: Final = "products.cert"
    DESC: Final = "products.desc"
    MATERIAL: Final = "products.material"
    ORIGIN: Final = "products.origin"
    MINE: Final = "products.mine"
    VIEW: Final = "products.view"
    PHOTOS: Final = "products.photos"
    SUMMARY: Final = "products.summary"


class Dossier:
    """A product's dossier checklist and its items."""

    CHECKLIST: Final = "dossier.checklist"
    ITEM: Final = "dossier.item"
