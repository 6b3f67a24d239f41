//! `rotaplan advance DATA PLAN -o NEXT_DATA [--enrollment FILE]`: next
//! year's data folder from this year's data and its accepted plan.
//!
//! The plan is a plan folder (its rotations.csv, else plan.xlsx) or an
//! edited rotations.csv / plan.xlsx, read with its `kind` column (rotation,
//! return, extend). A rotation row of a teacher on exchange that sends them
//! to their home school is their return too, and one that keeps them at
//! their host school the extension of a due return. A due return (`Exchange::returns_in`) that the plan does
//! not extend happens whatever the list says. The county one year on is
//! [`crate::rules::next_year::next_year`]; it is written with
//! [`crate::render::data_folder`], beside `retired.csv`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::commands::replan::REQUESTED_CHANGES;
use crate::domain::changes::ProposedMove;
use crate::domain::County;
use crate::error::{Error, InputProblem, Text};
use crate::io::plan_list::PlanList;
use crate::io::source::file_name;
use crate::io::{read_changes, read_enrollment, Change, ChangeAction, Enrollment};
use crate::plan::replan::county_after_changes;
use crate::render::data_folder::{county_files, retired_csv};
use crate::render::output::OutputFiles;
use crate::render::Lang;
use crate::rules::audit::audit_with_returns;
use crate::rules::next_year::{next_year, NextYear};

/// What a plan list says for this year, sorted into its three kinds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AcceptedPlan {
    /// Rotations.
    pub moves: Vec<ProposedMove>,
    /// Teachers on exchange who go home (the list's and every due return
    /// the list does not extend), sorted.
    pub returns: Vec<String>,
    /// Teachers whose due return is put off by one year, sorted.
    pub extended: Vec<String>,
}

/// The result of `advance`: the county one year on and its files.
#[derive(Debug)]
pub struct Advanced {
    /// The county of next year and what changed.
    pub next: NextYear,
    /// The data folder: policy.toml, schools.csv, teachers.csv, roads.csv
    /// and staffing.csv where the county has them, exchanges.csv, family.csv
    /// where the county has ties, retired.csv.
    pub files: OutputFiles,
    /// Locks of this year left behind.
    pub locks_dropped: usize,
    /// Applications of this year left behind (applications.csv).
    pub applications_dropped: usize,
    /// Schools whose students and classes `--enrollment` replaced.
    pub enrollment_schools: usize,
    /// Remarks for the user (unknown columns of the enrollment file).
    pub warnings: Vec<Text>,
    /// Rules the accepted list breaks, as the independent auditor counts
    /// them (the data is written all the same: the bureau decided the list).
    pub violations: usize,
    /// The changes file read with the list (its name), if any.
    pub changes_file: Option<String>,
    /// Teachers of the changes file who left (离岗): not in next year's data.
    pub left: usize,
    /// The changes file's other rows (refusals and locks), which the list
    /// was judged with.
    pub locked: usize,
}

/// The list file of a plan: the file itself, or a plan folder's
/// rotations.csv, else its plan.xlsx.
pub fn plan_list_path(plan: &Path) -> Result<PathBuf, Error> {
    if !plan.is_dir() {
        return Ok(plan.to_path_buf());
    }
    for name in ["rotations.csv", "plan.xlsx"] {
        let path = plan.join(name);
        if path.is_file() {
            return Ok(path);
        }
    }
    Err(Error::Input(vec![InputProblem::new(
        plan.display().to_string(),
        "",
        Text::both(
            "the plan folder has neither rotations.csv nor plan.xlsx; give a plan folder written by rotaplan plan, or the list file itself",
            "方案文件夹里既没有 rotations.csv 也没有 plan.xlsx；请给出 rotaplan plan 写出的方案文件夹，或名单文件本身",
        ),
    )]))
}

fn plan_problem(list: &Path, message: Text) -> InputProblem {
    InputProblem::new(list.display().to_string(), "", message)
}

/// The list's problem, naming the list file.
fn duplicate(list: &Path, teacher_id: &str) -> InputProblem {
    plan_problem(
        list,
        Text::both(
            format!("teacher {teacher_id} is listed twice; keep one row"),
            format!("教师 {teacher_id} 出现了两次；请只保留一行"),
        ),
    )
}

/// Sorts the rows of a list into rotations, returns and extensions (a
/// rotation row of a teacher on exchange to the home school is a return,
/// one to the host school an extension), checks that every teacher and
/// school exists and no teacher is listed twice, and adds every due return
/// the list does not extend.
pub fn accepted_plan(county: &County, list: &Path, rows: PlanList) -> Result<AcceptedPlan, Error> {
    let year = county.policy.year;
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    let mut plan = AcceptedPlan::default();
    for id in rows.returns.iter().chain(&rows.extended) {
        if !seen.insert(id.clone()) {
            problems.push(duplicate(list, id));
        }
    }
    for id in rows.returns.iter().chain(&rows.extended) {
        if !county.exchange_of(id).is_some_and(|e| e.returns_in(year)) {
            problems.push(plan_problem(
                list,
                Text::both(
                    format!("teacher {id} has no return due in {year} (exchanges.csv); only a due return may be a return or extend row"),
                    format!("教师 {id} 在 {year} 年度没有到期的交流（exchanges.csv）；只有交流期满的教师才能列为返回或续任"),
                ),
            ));
        }
    }
    plan.returns = rows.returns;
    plan.extended = rows.extended;
    for row in rows.moves {
        let Some(teacher) = county.teachers.iter().find(|t| t.id == row.teacher_id) else {
            problems.push(plan_problem(
                list,
                Text::both(
                    format!("teacher {} is not in the data; check the teacher id", row.teacher_id),
                    format!("数据中没有教师 {}；请检查教师编号", row.teacher_id),
                ),
            ));
            continue;
        };
        if county.school(&row.to_school).is_none() {
            problems.push(plan_problem(
                list,
                Text::both(
                    format!("school {} (teacher {}) is not in the data", row.to_school, row.teacher_id),
                    format!("数据中没有学校 {}（教师 {}）", row.to_school, row.teacher_id),
                ),
            ));
            continue;
        }
        if !seen.insert(row.teacher_id.clone()) {
            problems.push(duplicate(list, &row.teacher_id));
            continue;
        }
        match county.exchange_of(&row.teacher_id).filter(|e| e.on_exchange_in(year)) {
            Some(e) if e.returns_in(year) && e.home_school_id == row.to_school => plan.returns.push(row.teacher_id),
            Some(e) if e.returns_in(year) && teacher.school_id == row.to_school => plan.extended.push(row.teacher_id),
            Some(e) => problems.push(plan_problem(
                list,
                Text::both(
                    format!(
                        "teacher {} is on exchange at {} until {} (exchanges.csv) and cannot rotate to {}",
                        row.teacher_id, teacher.school_id, e.end_year, row.to_school
                    ),
                    format!(
                        "教师 {} 在 {} 交流至 {} 年（exchanges.csv），不能交流至 {}",
                        row.teacher_id, teacher.school_id, e.end_year, row.to_school
                    ),
                ),
            )),
            None => plan.moves.push(row),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    let extended: BTreeSet<&String> = plan.extended.iter().collect();
    let due = county.exchanges.iter().filter(|e| e.returns_in(year) && !extended.contains(&e.teacher_id));
    let due: Vec<String> = due.map(|e| e.teacher_id.clone()).collect();
    plan.returns.extend(due);
    plan.returns.sort();
    plan.returns.dedup();
    plan.extended.sort();
    Ok(plan)
}

/// The teachers the changes file says left (离岗) who are still on the list.
fn left_on_the_list(list: &Path, file: &Path, changes: &[Change], rows: &PlanList) -> Result<(), Error> {
    let gone: BTreeSet<&str> =
        changes.iter().filter(|c| c.action == ChangeAction::Leave).map(|c| c.teacher_id.as_str()).collect();
    let listed = rows.moves.iter().map(|m| &m.teacher_id).chain(&rows.returns).chain(&rows.extended);
    let name = file_name(file);
    let problems: Vec<InputProblem> = listed
        .filter(|id| gone.contains(id.as_str()))
        .map(|id| {
            plan_problem(
                list,
                Text::both(
                    format!("teacher {id} left the county by the changes file {name} (leave), so cannot be on the list; delete the row"),
                    format!("按变动文件 {name}，教师 {id} 已离岗，不能再列在名单中；请删去这一行"),
                ),
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}

/// Replaces the students and classes of the schools listed.
pub fn apply_enrollment(county: &mut County, rows: &[Enrollment]) {
    for row in rows {
        if let Some(i) = county.school_pos(&row.school_id) {
            county.schools[i].students = row.students;
            county.schools[i].classes = row.classes;
        }
    }
}

/// The changes file that goes with a list: `changes` when given, else a
/// re-plan folder's requested_changes.csv.
pub fn changes_path(plan: &Path, changes: Option<&Path>) -> Option<PathBuf> {
    match changes {
        Some(path) => Some(path.to_path_buf()),
        // Whatever stands at that name is read (a folder or a device is
        // then refused as any input is), never skipped.
        None => Some(plan.join(REQUESTED_CHANGES)).filter(|p| plan.is_dir() && std::fs::symlink_metadata(p).is_ok()),
    }
}

/// Next year's data folder from `county` and its accepted plan `plan` (a
/// plan folder or list file), with `enrollment`'s numbers where given. The
/// list is read over the county after the re-plan's changes (`changes`,
/// else the plan folder's requested_changes.csv): the teachers who left
/// are gone from next year's data, and the refusals hold when the list is
/// judged.
pub fn advance(
    county: &County,
    plan: &Path,
    enrollment: Option<&Path>,
    changes: Option<&Path>,
) -> Result<Advanced, Error> {
    let list = plan_list_path(plan)?;
    let changes_file = changes_path(plan, changes);
    let changes = match &changes_file {
        Some(path) => read_changes(path, county)?,
        None => Vec::new(),
    };
    // The list is read against the data as it was, so that a teacher the
    // changes say left is named as such, not as unknown.
    let rows = PlanList::read_for(&list, county)?;
    if let Some(file) = &changes_file {
        left_on_the_list(&list, file, &changes, &rows)?;
    }
    let after = county_after_changes(county, &changes);
    let locks_dropped = county.locks.len();
    let county = &after;
    let (enrollment, warnings) = match enrollment {
        Some(path) => read_enrollment(path, county)?,
        None => (Vec::new(), Vec::new()),
    };
    let accepted = accepted_plan(county, &list, rows)?;
    let violations = audit_with_returns(county, &accepted.moves, &accepted.extended).violations.len();
    let mut next = next_year(county, &accepted.moves, &accepted.returns, &accepted.extended);
    apply_enrollment(&mut next.county, &enrollment);
    let mut files = county_files(&next.county);
    files.add("retired.csv", retired_csv(&next.retired));
    Ok(Advanced {
        next,
        files,
        locks_dropped,
        applications_dropped: county.applications.len(),
        enrollment_schools: enrollment.len(),
        warnings,
        violations,
        changes_file: changes_file.as_deref().map(file_name),
        left: changes.iter().filter(|c| c.action == ChangeAction::Leave).count(),
        locked: changes.iter().filter(|c| c.action != ChangeAction::Leave).count(),
    })
}

impl Advanced {
    /// The terminal summary: what changed and the files written.
    pub fn terminal(&self, lang: Lang) -> String {
        let next = &self.next;
        let year = next.county.policy.year;
        let on_exchange = next.county.exchanges.len();
        let mut out = match lang {
            Lang::Zh => format!(
                "{year} 年度数据：交流 {} 人，返回原校 {} 人，续任一年 {} 人，退休 {} 人（见 retired.csv），在交流 {on_exchange} 人。\n",
                next.moved,
                next.returned,
                next.extended,
                next.retired.len()
            ),
            Lang::En => format!(
                "Data for {year}: {} teachers moved, {} returned home, {} returns extended, {} retired (see retired.csv), {on_exchange} on exchange.\n",
                next.moved,
                next.returned,
                next.extended,
                next.retired.len()
            ),
        };
        if let Some(file) = &self.changes_file {
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "已按变动文件 {file} 处理：离岗 {} 人（不列入下一年度数据），留任等其他变动 {} 条（按其审核名单）。\n",
                    self.left, self.locked
                ),
                Lang::En => format!(
                    "Changes file {file} applied: {} teachers who left (not in next year's data), {} other rows (refusals and locks) held when judging the list.\n",
                    self.left, self.locked
                ),
            });
        }
        if self.violations > 0 {
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "注意：该名单有 {} 处违反交流规则（用 rotaplan score 查看）；下一年度数据仍按该名单生成。{}\n",
                    self.violations,
                    if self.changes_file.is_none() { "名单若来自 rotaplan replan，请给出 replan 的输出文件夹，或用 --changes 给出变动文件：离岗教师不再列入，拒绝交流的教师按留任审核。" } else { "" }
                ),
                Lang::En => format!(
                    "note: the list breaks the rules in {} place(s) (see rotaplan score); next year's data follows it all the same.{}\n",
                    self.violations,
                    if self.changes_file.is_none() { " If the list comes from rotaplan replan, give replan's output folder or its changes file with --changes: who left is dropped, and refusals are judged as stays." } else { "" }
                ),
            });
        }
        if self.enrollment_schools > 0 {
            out.push_str(&match lang {
                Lang::Zh => format!("已按 --enrollment 更新 {} 所学校的在校生数和班级数。\n", self.enrollment_schools),
                Lang::En => {
                    format!("Students and classes of {} schools replaced from --enrollment.\n", self.enrollment_schools)
                }
            });
        }
        out.push_str(&self.left_behind(lang));
        let names = self.files.names().join(", ");
        out.push_str(&match lang {
            Lang::Zh => format!("文件：{names}\n"),
            Lang::En => format!("Files: {names}\n"),
        });
        out
    }

    /// What this year's data leaves behind: locks, applications, and the
    /// family ties of retired teachers.
    fn left_behind(&self, lang: Lang) -> String {
        let mut out = String::new();
        if self.locks_dropped > 0 {
            out.push_str(&match lang {
                Lang::Zh => {
                    format!("本年度的 {} 条锁定（locks.csv）是本年度的决定，没有带入下一年度。\n", self.locks_dropped)
                }
                Lang::En => format!(
                    "This year's {} locks (locks.csv) are this year's decisions and are not carried over.\n",
                    self.locks_dropped
                ),
            });
        }
        if self.applications_dropped > 0 {
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "本年度的 {} 份交流申请（applications.csv）是本年度的申请，没有带入下一年度。\n",
                    self.applications_dropped
                ),
                Lang::En => format!(
                    "This year's {} applications (applications.csv) are this year's and are not carried over.\n",
                    self.applications_dropped
                ),
            });
        }
        let family_dropped = self.next.family_dropped;
        if family_dropped > 0 {
            out.push_str(&match lang {
                Lang::Zh => format!("{family_dropped} 条家庭关系（family.csv）涉及退休教师，没有带入下一年度。\n"),
                Lang::En => {
                    format!(
                        "{family_dropped} family ties (family.csv) name a retired teacher and are not carried over.\n"
                    )
                }
            });
        }
        out
    }
}
