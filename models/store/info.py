"""What the workshop file says about its revisions and their signatures, as frozen records:
they hold no database session, so they outlive the short session that read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class RevisionInfo:
    id: int
    label: str
    status: str
    created_at: dt.datetime
    signed_at: dt.datetime | None
    content_hash: str | None

    @property
    def locked(self) -> bool:
        return self.status == "signed"


@dataclass(frozen=True)
class SignatureInfo:
    signer: str
    role: str
    signed_at: dt.datetime
    statement: str
    content_hash: str
