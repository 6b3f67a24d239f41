//! The edits of a list as `replan`'s changes file: the actions the page
//! offers, the changes a re-plan holds (its own edits and those of the
//! re-plan that made the list), the CSV `read_changes` reads, and its check
//! against the county.

use crate::domain::County;
use crate::render::Lang;
use crate::serve::store::{Edit, Run};

/// What the page lets HR say about a teacher; each is one row of the
/// changes file of `replan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditAction {
    /// Lock to stay (留任).
    Stay,
    /// The teacher refused (拒绝交流): a stay with that note.
    Refuse,
    /// Require a move.
    Move,
    /// Move to a given school.
    MoveTo,
    /// Forbid a school.
    Forbid,
    /// The teacher left (离岗).
    Leave,
}

impl EditAction {
    /// Every action: its id (stored in the edit), its words.
    pub const ALL: [(EditAction, &'static str, &'static str, &'static str); 6] = [
        (EditAction::Stay, "stay", "lock to stay", "锁定留任"),
        (EditAction::Refuse, "refuse", "refused to move (stays)", "拒绝交流（留任）"),
        (EditAction::Move, "move", "require a move", "必须交流"),
        (EditAction::MoveTo, "move_to", "move to the school", "指定交流至学校"),
        (EditAction::Forbid, "forbid", "forbid the school", "不得交流至学校"),
        (EditAction::Leave, "leave", "left (gone from the school)", "离岗"),
    ];

    /// The action of a stored id.
    pub fn parse(id: &str) -> Option<EditAction> {
        Self::ALL.iter().find(|(_, i, _, _)| *i == id).map(|(a, _, _, _)| *a)
    }

    /// The stored id.
    pub fn id(self) -> &'static str {
        Self::ALL.iter().find(|(a, _, _, _)| *a == self).map_or("", |(_, i, _, _)| i)
    }

    /// The words for people.
    pub fn words(self, lang: Lang) -> &'static str {
        let (_, _, en, zh) = Self::ALL.iter().find(|(a, _, _, _)| *a == self).copied().unwrap_or(Self::ALL[0]);
        crate::serve::page::t(lang, en, zh)
    }

    /// Whether the action names a school.
    pub fn takes_school(self) -> bool {
        matches!(self, EditAction::MoveTo | EditAction::Forbid)
    }

    /// The changes file's action word and note.
    fn change_row(self, lang: Lang) -> (&'static str, &'static str) {
        match self {
            EditAction::Stay => ("stay", ""),
            EditAction::Refuse => ("stay", crate::serve::page::t(lang, "refused to move", "拒绝交流")),
            EditAction::Move => ("move", ""),
            EditAction::MoveTo => ("move_to", ""),
            EditAction::Forbid => ("forbid", ""),
            EditAction::Leave => ("leave", crate::serve::page::t(lang, "left", "离岗")),
        }
    }
}

/// One wanted change of a list: what a re-plan is asked to hold.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Wanted {
    /// The teacher's id.
    pub teacher_id: String,
    /// The action's id ([`EditAction::id`]).
    pub action: String,
    /// The school of move_to / forbid, else empty.
    pub school: String,
}

impl From<&Edit> for Wanted {
    fn from(e: &Edit) -> Wanted {
        Wanted { teacher_id: e.teacher_id.clone(), action: e.action.clone(), school: e.school.clone() }
    }
}

/// The changes a re-plan of `run` holds: those its own re-plan held (kept
/// in its parameters), except on teachers its edits name again, then its
/// edits. So a teacher who refused stays refused in every later re-plan.
pub fn wanted_changes(run: &Run, edits: &[Edit]) -> Vec<Wanted> {
    let inherited: Vec<Wanted> = serde_json::from_value(run.params["changes"].clone()).unwrap_or_default();
    let mut out: Vec<Wanted> =
        inherited.into_iter().filter(|w| !edits.iter().any(|e| e.teacher_id == w.teacher_id)).collect();
    out.extend(edits.iter().map(Wanted::from));
    out
}

/// The changes file of `replan` for these changes: `teacher_id, action,
/// school_id, note`, a refusal as `stay` with the note 拒绝交流 (or
/// "refused to move"), a departure as `leave`.
pub fn changes_csv(changes: &[Wanted], lang: Lang) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["teacher_id", "action", "school_id", "note"]);
    for w in changes {
        let Some(action) = EditAction::parse(&w.action) else { continue };
        let (word, note) = action.change_row(lang);
        let school = if action.takes_school() { w.school.as_str() } else { "" };
        let _ = writer.write_record([w.teacher_id.as_str(), word, school, note]);
    }
    writer.into_inner().unwrap_or_default()
}

/// Checks a changes file against the county as `replan` will read it.
pub fn check_changes(county: &County, csv: &[u8]) -> Result<(), crate::error::Error> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let path = std::env::temp_dir().join(format!("rotaplan-changes-{}-{n}.csv", std::process::id()));
    std::fs::write(&path, csv).map_err(|e| crate::error::Error::io("writing the changes file".to_string(), e))?;
    let read = crate::io::read_changes(&path, county);
    let _ = std::fs::remove_file(&path);
    read.map(|_| ())
}
