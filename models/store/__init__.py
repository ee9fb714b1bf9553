"""The workshop file: one `.accord` SQLite database, written through SQLModel.

Every save is one transaction, so a crash leaves the previous state. A file is created under
a temporary name and renamed into place, so it is never seen half-written. Opening checks
the file before anything is written: not SQLite, not Accord, corrupt, or a newer schema each
give a `WorkshopFileError` with one clear sentence, and change nothing; so does a value,
table or lead data set that cannot be read later (`WorkshopDamaged`). A second writer is
kept out by an OS lock on the workshop file itself, whatever path leads to it; it opens
read-only, and so does a writer whose lock cannot be taken (a read-only folder, a full
disk), saying why. Every save checks first that the file is still the one opened and as
its writer left it (`WorkshopGone`, `WorkshopReplaced`, `WorkshopChanged` otherwise).
Older schemas are migrated forward in place when a file is opened writable, after a backup
copy is written next to it.

The modules, one job each:

  file              `WorkshopFile`: creating, opening and closing a workshop, its
                    transactions, saving and reading its revisions
  tables            the SQLModel tables: what the file holds
  definitions_rows  a revision's definitions as rows
  lead_rows         a revision's lead data set as rows (encoded by `models.leads.serialize`)
  info              the records read back (`LeadsInfo` lives in `models.leads.info`)
  check             refusing a file that is not a workshop this version reads
  lock              keeping a second writer out
  guard             refusing a write to a file moved, replaced or changed since it was read
  migration         the schema versions, and bringing an older file up to date
  connection        the SQLite connections, and why they journal and sync as they do
  atomic            writing a file under a temporary name and renaming it into place,
                    through a symlink, never over a folder, a device or a held workshop
  errors            `WorkshopFileError` and its kinds, whose message is for the user

Import from here: `__all__` is the package's API, the modules' other names its workings.
"""

from models.leads.info import LeadsInfo
from models.store.atomic import DiskFull, TargetRefused, disk_full, written_in_place_of
from models.store.check import APPLICATION_ID, SQLITE_MAGIC, check_workshop_file
from models.store.errors import (
    WorkshopChanged,
    WorkshopDamaged,
    WorkshopFileError,
    WorkshopGone,
    WorkshopInUse,
    WorkshopMovedOrChanged,
    WorkshopReplaced,
)
from models.store.file import WorkshopFile
from models.store.info import RevisionInfo, SignatureInfo
from models.store.migration import ADDED_COLUMNS, LEADS_SCHEMA_VERSION, SCHEMA_VERSION, backup_path
from models.store.tables import (
    LEAD_TABLES,
    REJECTED_KEPT,
    ROW_TABLES,
    DecisionRow,
    FunnelStageRow,
    GlossaryTermRow,
    LeadDataset,
    LeadSource,
    Meta,
    ParticipantRow,
    Revision,
    ScoreBandRow,
    ScoringRuleRow,
    ScoringSettingsRow,
    SharedKpiRow,
    Signature,
    TeamTargetsRow,
    Timebox,
)

__all__ = [
    "ADDED_COLUMNS",
    "APPLICATION_ID",
    "LEADS_SCHEMA_VERSION",
    "LEAD_TABLES",
    "REJECTED_KEPT",
    "ROW_TABLES",
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "DecisionRow",
    "DiskFull",
    "FunnelStageRow",
    "GlossaryTermRow",
    "LeadDataset",
    "LeadSource",
    "LeadsInfo",
    "Meta",
    "ParticipantRow",
    "Revision",
    "RevisionInfo",
    "ScoreBandRow",
    "ScoringRuleRow",
    "ScoringSettingsRow",
    "SharedKpiRow",
    "Signature",
    "SignatureInfo",
    "TargetRefused",
    "TeamTargetsRow",
    "Timebox",
    "WorkshopChanged",
    "WorkshopDamaged",
    "WorkshopFile",
    "WorkshopFileError",
    "WorkshopGone",
    "WorkshopInUse",
    "WorkshopMovedOrChanged",
    "WorkshopReplaced",
    "backup_path",
    "check_workshop_file",
    "disk_full",
    "written_in_place_of",
]
