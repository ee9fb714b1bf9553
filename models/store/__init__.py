"""The workshop file: one `.accord` SQLite database, written through SQLModel.

What a workshop file promises, and the module that keeps each promise:

  tables            what the file holds: one SQLModel table per kind of row
  check             opening checks the file before anything is written: not SQLite, not
                    Accord, corrupt, or a newer schema each give a `WorkshopFileError`
                    (`errors`) with one clear sentence, and change nothing
  lock              a second writer is kept out by an OS lock on a sidecar `.lock` file;
                    it opens read-only
  migration         older schemas are migrated forward in place when a file is opened
                    writable, after a backup copy is written next to it
  connection        every save is one transaction, so a crash leaves the previous state
  atomic            a file is created under a temporary name and renamed into place, so it
                    is never seen half-written
  file              `WorkshopFile`: an open workshop, its revisions saved and read back
  definitions_rows  a revision's definitions as rows
  lead_rows         a revision's lead data set as rows (`models.leads.serialize` encodes it)
  info              the records read back: `RevisionInfo`, `SignatureInfo` (and `LeadsInfo`,
                    which lives in `models.leads.info`)

Import from here: the names below are the package's API.
"""

from models.leads.info import LeadsInfo
from models.store.atomic import written_in_place_of
from models.store.check import APPLICATION_ID, SQLITE_MAGIC, check_workshop_file
from models.store.errors import WorkshopFileError
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
    "TeamTargetsRow",
    "Timebox",
    "WorkshopFile",
    "WorkshopFileError",
    "backup_path",
    "check_workshop_file",
    "written_in_place_of",
]
