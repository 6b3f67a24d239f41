//! The workspace's one SQLite file: every imported data set, every run
//! (plan, re-plan, what-if) with its parameters, progress and output files,
//! every publication and every edit of a list. Writes are transactions; the
//! file is in WAL mode with full syncs, so a killed server loses nothing that
//! a request reported saved, and two tabs writing at once are serialised.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Error;

/// The schema; `CREATE ... IF NOT EXISTS`, so opening an existing workspace
/// keeps its data.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS datasets(
  id INTEGER PRIMARY KEY,
  county TEXT NOT NULL,
  created INTEGER NOT NULL,
  source TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  schools INTEGER NOT NULL,
  teachers INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS dataset_files(
  dataset_id INTEGER NOT NULL REFERENCES datasets(id),
  name TEXT NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY(dataset_id, name)
);
CREATE TABLE IF NOT EXISTS runs(
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id),
  kind TEXT NOT NULL,
  base_run INTEGER REFERENCES runs(id),
  params TEXT NOT NULL,
  created INTEGER NOT NULL,
  started INTEGER,
  finished INTEGER,
  status TEXT NOT NULL,
  exit_code INTEGER,
  message TEXT NOT NULL DEFAULT '',
  progress TEXT NOT NULL DEFAULT '[]',
  peak_rss_kb INTEGER,
  edit_revision INTEGER NOT NULL DEFAULT 0,
  result_dataset INTEGER REFERENCES datasets(id)
);
CREATE TABLE IF NOT EXISTS run_files(
  run_id INTEGER NOT NULL REFERENCES runs(id),
  name TEXT NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY(run_id, name)
);
CREATE TABLE IF NOT EXISTS edits(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  teacher_id TEXT NOT NULL,
  action TEXT NOT NULL,
  school TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS publications(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  created INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS scenarios(
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id),
  name TEXT NOT NULL,
  toml TEXT NOT NULL,
  created INTEGER NOT NULL
);
";

/// A run's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    /// Waiting for a free solver slot.
    Queued,
    /// Its child process is solving.
    Running,
    /// Finished with a plan (exit 0).
    Done,
    /// No plan exists: diagnosis.json says why (exit 3).
    Infeasible,
    /// Bad input, no plan in time, or the machine failed (exit 1 or 2).
    Failed,
    /// Cancelled from the page.
    Cancelled,
    /// The server stopped while the run was queued or running.
    Interrupted,
}

impl RunStatus {
    const ALL: [(RunStatus, &'static str); 7] = [
        (RunStatus::Queued, "queued"),
        (RunStatus::Running, "running"),
        (RunStatus::Done, "done"),
        (RunStatus::Infeasible, "infeasible"),
        (RunStatus::Failed, "failed"),
        (RunStatus::Cancelled, "cancelled"),
        (RunStatus::Interrupted, "interrupted"),
    ];

    /// The stable id stored in the database and sent to the page.
    pub fn id(self) -> &'static str {
        Self::ALL.iter().find(|(s, _)| *s == self).map_or("failed", |(_, id)| id)
    }

    fn parse(id: &str) -> RunStatus {
        Self::ALL.iter().find(|(_, i)| *i == id).map_or(RunStatus::Failed, |(s, _)| *s)
    }

    /// Whether the run is over (no child process will write to it again).
    pub fn is_over(self) -> bool {
        !matches!(self, RunStatus::Queued | RunStatus::Running)
    }
}

/// One imported data set.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// Its number.
    pub id: i64,
    /// The county's name.
    pub county: String,
    /// When it was made (seconds since 1970, UTC).
    pub created: i64,
    /// "workbook", "csv" or "replan" (a county after a re-plan's changes).
    pub source: String,
    /// Remarks (warnings met on import).
    pub note: String,
    /// Schools in it.
    pub schools: i64,
    /// Teachers in it.
    pub teachers: i64,
}

/// One run.
#[derive(Clone, Debug)]
pub struct Run {
    /// Its number.
    pub id: i64,
    /// The data set it belongs to.
    pub dataset_id: i64,
    /// "plan", "replan" or "whatif".
    pub kind: String,
    /// The run a re-plan starts from.
    pub base_run: Option<i64>,
    /// Its parameters as JSON (time limit, language, changes, scenarios).
    pub params: serde_json::Value,
    /// When it was made (seconds since 1970, UTC).
    pub created: i64,
    /// When its solver started.
    pub started: Option<i64>,
    /// When it ended.
    pub finished: Option<i64>,
    /// Its state.
    pub status: RunStatus,
    /// The solver process's exit status.
    pub exit_code: Option<i64>,
    /// What the run said besides progress (input problems, errors).
    pub message: String,
    /// The progress events, a JSON array.
    pub progress: serde_json::Value,
    /// The solver process's peak memory (KiB).
    pub peak_rss_kb: Option<i64>,
    /// Bumped by every edit of the run's list, so that two tabs cannot
    /// overwrite each other's edits unknowingly.
    pub edit_revision: i64,
    /// The data set an `advance` run made (next year's county).
    pub result_dataset: Option<i64>,
}

/// One edit of a run's list (a change for the next re-plan).
#[derive(Clone, Debug)]
pub struct Edit {
    /// Its number.
    pub id: i64,
    /// The run it belongs to.
    pub run_id: i64,
    /// The teacher's id.
    pub teacher_id: String,
    /// A changes-file action word: stay, move, move_to, forbid, leave.
    pub action: String,
    /// The school of move_to / forbid, else empty.
    pub school: String,
    /// When it was made (seconds since 1970, UTC).
    pub created: i64,
}

/// One publication (公示) of a run's list.
#[derive(Clone, Debug)]
pub struct Publication {
    /// Its number.
    pub id: i64,
    /// The run it belongs to.
    pub run_id: i64,
    /// When it was made (seconds since 1970, UTC).
    pub created: i64,
    /// Remarks (warnings met on import).
    pub note: String,
}

/// One saved what-if scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Its number.
    pub id: i64,
    /// The data set it belongs to.
    pub dataset_id: i64,
    /// Its name.
    pub name: String,
    /// The scenario file without its data key.
    pub toml: String,
    /// When it was made (seconds since 1970, UTC).
    pub created: i64,
}

/// An edit refused because the list changed since the page was drawn.
#[derive(Debug)]
pub struct StaleRevision;

/// The workspace database.
pub struct Store {
    connection: Mutex<Connection>,
}

fn db_error(context: &str, error: rusqlite::Error) -> Error {
    Error::io(format!("workspace database: {context}"), std::io::Error::other(error.to_string()))
}

/// Seconds since 1970, UTC.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

impl Store {
    /// Opens (or creates) `WORKSPACE/rotaplan.sqlite`.
    pub fn open(workspace: &Path) -> Result<Store, Error> {
        let path = workspace.join("rotaplan.sqlite");
        let connection = Connection::open(&path).map_err(|e| db_error("open", e))?;
        connection
            .execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
            .map_err(|e| db_error("settings", e))?;
        connection.busy_timeout(std::time::Duration::from_secs(10)).map_err(|e| db_error("settings", e))?;
        connection.execute_batch(SCHEMA).map_err(|e| db_error("schema", e))?;
        Ok(Store { connection: Mutex::new(connection) })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs queued or running when the server last stopped are interrupted.
    pub fn interrupt_unfinished(&self) -> Result<usize, Error> {
        let c = self.lock();
        c.execute(
            "UPDATE runs SET status = 'interrupted', finished = ?1 WHERE status IN ('queued', 'running')",
            params![now()],
        )
        .map_err(|e| db_error("interrupt", e))
    }

    /// Saves an imported data set and its files in one transaction.
    pub fn add_dataset(&self, d: &Dataset, files: &[(String, Vec<u8>)]) -> Result<i64, Error> {
        let mut c = self.lock();
        let tx = c.transaction().map_err(|e| db_error("begin", e))?;
        tx.execute(
            "INSERT INTO datasets(county, created, source, note, schools, teachers) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![d.county, now(), d.source, d.note, d.schools, d.teachers],
        )
        .map_err(|e| db_error("add data set", e))?;
        let id = tx.last_insert_rowid();
        for (name, bytes) in files {
            tx.execute(
                "INSERT INTO dataset_files(dataset_id, name, bytes) VALUES (?1, ?2, ?3)",
                params![id, name, bytes],
            )
            .map_err(|e| db_error("add data file", e))?;
        }
        tx.commit().map_err(|e| db_error("commit", e))?;
        Ok(id)
    }

    fn dataset_row(row: &rusqlite::Row) -> rusqlite::Result<Dataset> {
        Ok(Dataset {
            id: row.get(0)?,
            county: row.get(1)?,
            created: row.get(2)?,
            source: row.get(3)?,
            note: row.get(4)?,
            schools: row.get(5)?,
            teachers: row.get(6)?,
        })
    }

    /// Every data set, newest first.
    pub fn datasets(&self) -> Result<Vec<Dataset>, Error> {
        let c = self.lock();
        let mut s = c
            .prepare("SELECT id, county, created, source, note, schools, teachers FROM datasets ORDER BY id DESC")
            .map_err(|e| db_error("list data sets", e))?;
        let rows = s.query_map([], Self::dataset_row).map_err(|e| db_error("list data sets", e))?;
        rows.collect::<Result<_, _>>().map_err(|e| db_error("list data sets", e))
    }

    /// One data set.
    pub fn dataset(&self, id: i64) -> Result<Option<Dataset>, Error> {
        let c = self.lock();
        c.query_row(
            "SELECT id, county, created, source, note, schools, teachers FROM datasets WHERE id = ?1",
            params![id],
            Self::dataset_row,
        )
        .optional()
        .map_err(|e| db_error("read data set", e))
    }

    /// A data set's files, by name.
    pub fn dataset_files(&self, id: i64) -> Result<Vec<(String, Vec<u8>)>, Error> {
        let c = self.lock();
        let mut s = c
            .prepare("SELECT name, bytes FROM dataset_files WHERE dataset_id = ?1 ORDER BY name")
            .map_err(|e| db_error("read data files", e))?;
        let rows =
            s.query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| db_error("read data files", e))?;
        rows.collect::<Result<_, _>>().map_err(|e| db_error("read data files", e))
    }

    /// Adds a queued run; its id.
    pub fn add_run(
        &self,
        dataset_id: i64,
        kind: &str,
        base_run: Option<i64>,
        params: &serde_json::Value,
    ) -> Result<i64, Error> {
        let c = self.lock();
        c.execute(
            "INSERT INTO runs(dataset_id, kind, base_run, params, created, status) VALUES (?1, ?2, ?3, ?4, ?5, 'queued')",
            params![dataset_id, kind, base_run, params.to_string(), now()],
        )
        .map_err(|e| db_error("add run", e))?;
        Ok(c.last_insert_rowid())
    }

    fn run_row(row: &rusqlite::Row) -> rusqlite::Result<Run> {
        let params: String = row.get(4)?;
        let status: String = row.get(8)?;
        let progress: String = row.get(11)?;
        Ok(Run {
            id: row.get(0)?,
            dataset_id: row.get(1)?,
            kind: row.get(2)?,
            base_run: row.get(3)?,
            params: serde_json::from_str(&params).unwrap_or(serde_json::Value::Null),
            created: row.get(5)?,
            started: row.get(6)?,
            finished: row.get(7)?,
            status: RunStatus::parse(&status),
            exit_code: row.get(9)?,
            message: row.get(10)?,
            progress: serde_json::from_str(&progress).unwrap_or(serde_json::Value::Array(Vec::new())),
            peak_rss_kb: row.get(12)?,
            edit_revision: row.get(13)?,
            result_dataset: row.get(14)?,
        })
    }

    const RUN_COLUMNS: &'static str = "id, dataset_id, kind, base_run, params, created, started, finished, status, \
        exit_code, message, progress, peak_rss_kb, edit_revision, result_dataset";

    /// One run.
    pub fn run(&self, id: i64) -> Result<Option<Run>, Error> {
        let c = self.lock();
        c.query_row(&format!("SELECT {} FROM runs WHERE id = ?1", Self::RUN_COLUMNS), params![id], Self::run_row)
            .optional()
            .map_err(|e| db_error("read run", e))
    }

    /// Runs, newest first; of one data set when given.
    pub fn runs(&self, dataset_id: Option<i64>) -> Result<Vec<Run>, Error> {
        let c = self.lock();
        let sql =
            format!("SELECT {} FROM runs WHERE (?1 IS NULL OR dataset_id = ?1) ORDER BY id DESC", Self::RUN_COLUMNS);
        let mut s = c.prepare(&sql).map_err(|e| db_error("list runs", e))?;
        let rows = s.query_map(params![dataset_id], Self::run_row).map_err(|e| db_error("list runs", e))?;
        rows.collect::<Result<_, _>>().map_err(|e| db_error("list runs", e))
    }

    /// Marks a queued run running.
    pub fn start_run(&self, id: i64) -> Result<(), Error> {
        let c = self.lock();
        c.execute("UPDATE runs SET status = 'running', started = ?2 WHERE id = ?1", params![id, now()])
            .map_err(|e| db_error("start run", e))?;
        Ok(())
    }

    /// Replaces a running run's progress (a JSON array).
    pub fn set_progress(&self, id: i64, progress: &serde_json::Value) -> Result<(), Error> {
        let c = self.lock();
        c.execute("UPDATE runs SET progress = ?2 WHERE id = ?1", params![id, progress.to_string()])
            .map_err(|e| db_error("save progress", e))?;
        Ok(())
    }

    /// Ends a run: its status, exit code, message, peak memory and output
    /// files, in one transaction.
    pub fn finish_run(&self, id: i64, end: &RunEnd, files: &[(String, Vec<u8>)]) -> Result<(), Error> {
        let mut c = self.lock();
        let tx = c.transaction().map_err(|e| db_error("begin", e))?;
        tx.execute(
            "UPDATE runs SET status = ?2, exit_code = ?3, message = ?4, peak_rss_kb = ?5, finished = ?6, \
             progress = ?7 WHERE id = ?1",
            params![id, end.status.id(), end.exit_code, end.message, end.peak_rss_kb, now(), end.progress.to_string()],
        )
        .map_err(|e| db_error("finish run", e))?;
        for (name, bytes) in files {
            tx.execute(
                "INSERT OR REPLACE INTO run_files(run_id, name, bytes) VALUES (?1, ?2, ?3)",
                params![id, name, bytes],
            )
            .map_err(|e| db_error("save run file", e))?;
        }
        tx.commit().map_err(|e| db_error("commit", e))
    }

    /// Records the data set an `advance` run made.
    pub fn set_result_dataset(&self, run_id: i64, dataset_id: i64) -> Result<(), Error> {
        let c = self.lock();
        c.execute("UPDATE runs SET result_dataset = ?2 WHERE id = ?1", params![run_id, dataset_id])
            .map_err(|e| db_error("record next year's data set", e))?;
        Ok(())
    }

    /// The names of a run's output files, sorted.
    pub fn run_file_names(&self, id: i64) -> Result<Vec<String>, Error> {
        let c = self.lock();
        let mut s = c
            .prepare("SELECT name FROM run_files WHERE run_id = ?1 ORDER BY name")
            .map_err(|e| db_error("list run files", e))?;
        let rows = s.query_map(params![id], |r| r.get(0)).map_err(|e| db_error("list run files", e))?;
        rows.collect::<Result<_, _>>().map_err(|e| db_error("list run files", e))
    }

    /// One output file of a run, by its exact stored name.
    pub fn run_file(&self, id: i64, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let c = self.lock();
        c.query_row("SELECT bytes FROM run_files WHERE run_id = ?1 AND name = ?2", params![id, name], |r| r.get(0))
            .optional()
            .map_err(|e| db_error("read run file", e))
    }

    /// Adds an edit to a run's list if the list is still at `revision`;
    /// bumps the revision.
    pub fn add_edit(&self, run_id: i64, revision: i64, edit: &Edit) -> Result<Result<i64, StaleRevision>, Error> {
        self.with_revision(run_id, revision, |tx| {
            tx.execute(
                "INSERT INTO edits(run_id, teacher_id, action, school, created) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![run_id, edit.teacher_id, edit.action, edit.school, now()],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Removes an edit of a run's list if the list is still at `revision`.
    pub fn remove_edit(&self, run_id: i64, revision: i64, edit_id: i64) -> Result<Result<i64, StaleRevision>, Error> {
        self.with_revision(run_id, revision, |tx| {
            tx.execute("DELETE FROM edits WHERE id = ?1 AND run_id = ?2", params![edit_id, run_id])?;
            Ok(edit_id)
        })
    }

    /// Runs `change` in an immediate transaction if the run's edit revision
    /// is `revision`, and bumps it.
    fn with_revision(
        &self,
        run_id: i64,
        revision: i64,
        change: impl FnOnce(&rusqlite::Transaction) -> rusqlite::Result<i64>,
    ) -> Result<Result<i64, StaleRevision>, Error> {
        let mut c = self.lock();
        let tx =
            c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(|e| db_error("begin", e))?;
        let current: Option<i64> = tx
            .query_row("SELECT edit_revision FROM runs WHERE id = ?1", params![run_id], |r| r.get(0))
            .optional()
            .map_err(|e| db_error("read revision", e))?;
        if current != Some(revision) {
            return Ok(Err(StaleRevision));
        }
        let value = change(&tx).map_err(|e| db_error("edit", e))?;
        tx.execute("UPDATE runs SET edit_revision = edit_revision + 1 WHERE id = ?1", params![run_id])
            .map_err(|e| db_error("bump revision", e))?;
        tx.commit().map_err(|e| db_error("commit", e))?;
        Ok(Ok(value))
    }

    /// A run's edits, oldest first.
    pub fn edits(&self, run_id: i64) -> Result<Vec<Edit>, Error> {
        let c = self.lock();
        let mut s = c
            .prepare("SELECT id, run_id, teacher_id, action, school, created FROM edits WHERE run_id = ?1 ORDER BY id")
            .map_err(|e| db_error("list edits", e))?;
        let rows = s
            .query_map(params![run_id], |r| {
                Ok(Edit {
                    id: r.get(0)?,
                    run_id: r.get(1)?,
                    teacher_id: r.get(2)?,
                    action: r.get(3)?,
                    school: r.get(4)?,
                    created: r.get(5)?,
                })
            })
            .map_err(|e| db_error("list edits", e))?;
        rows.collect::<Result<_, _>>().map_err(|e| db_error("list edits", e))
    }

    /// Publishes a run's list.
    pub fn publish(&self, run_id: i64, note: &str) -> Result<i64, Error> {
        let c = self.lock();
        c.execute("INSERT INTO publications(run_id, created, note) VALUES (?1, ?2, ?3)", params![run_id, now(), note])
            .map_err(|e| db_error("publish", e))?;
        Ok(c.last_insert_rowid())
    }

    /// Every publication, newest first.
    pub fn publications(&self) -> Result<Vec<Publication>, Error> {
        let c = self.lock();
        let mut s = c
            .prepare("SELECT id, run_id, created, note FROM publications ORDER BY id DESC")
            .map_err(|e| db_error("list publications", e))?;
        let rows = s
            .query_map([], |r| {
                Ok(Publication { id: r.get(0)?, run_id: r.get(1)?, created: r.get(2)?, note: r.get(3)? })
            })
            .map_err(|e| db_error("list publications", e))?;
        rows.collect::<Result<_, _>>().map_err(|e| db_error("list publications", e))
    }

    /// Saves a what-if scenario.
    pub fn add_scenario(&self, dataset_id: i64, name: &str, toml: &str) -> Result<i64, Error> {
        let c = self.lock();
        c.execute(
            "INSERT INTO scenarios(dataset_id, name, toml, created) VALUES (?1, ?2, ?3, ?4)",
            params![dataset_id, name, toml, now()],
        )
        .map_err(|e| db_error("add scenario", e))?;
        Ok(c.last_insert_rowid())
    }

    /// A data set's scenarios, oldest first.
    pub fn scenarios(&self, dataset_id: i64) -> Result<Vec<Scenario>, Error> {
        let c = self.lock();
        let mut s = c
            .prepare("SELECT id, dataset_id, name, toml, created FROM scenarios WHERE dataset_id = ?1 ORDER BY id")
            .map_err(|e| db_error("list scenarios", e))?;
        let rows = s
            .query_map(params![dataset_id], |r| {
                Ok(Scenario {
                    id: r.get(0)?,
                    dataset_id: r.get(1)?,
                    name: r.get(2)?,
                    toml: r.get(3)?,
                    created: r.get(4)?,
                })
            })
            .map_err(|e| db_error("list scenarios", e))?;
        rows.collect::<Result<_, _>>().map_err(|e| db_error("list scenarios", e))
    }
}

/// How a run ended.
#[derive(Clone, Debug)]
pub struct RunEnd {
    /// Its state.
    pub status: RunStatus,
    /// The solver process's exit status.
    pub exit_code: Option<i64>,
    /// What happened, in the page language.
    pub message: String,
    /// The solver process's peak memory (KiB).
    pub peak_rss_kb: Option<i64>,
    /// Progress.
    pub progress: serde_json::Value,
}
