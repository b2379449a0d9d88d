from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Org(Base):
    """A node of the organisation tree. `path` is the materialised path of ids ("/1/4/9/"), so a
    subtree is one index range scan: path >= '/1/4/' AND path < '/1/4/' || '\\x7f'."""
    __tablename__ = "orgs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    org_type: Mapped[int | None]
    path: Mapped[str] = mapped_column(String(400), index=True)
    depth: Mapped[int]

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this org, inclusive."""
        return [int(part) for part in self.path.strip("/").split("/")]
