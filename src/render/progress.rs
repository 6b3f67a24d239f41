//! The progress lines printed while a run works, worded from
//! [`crate::plan::Progress`] in Chinese (default) or English.

use crate::model::Stage;
use crate::plan::Progress;
use crate::render::Lang;
use crate::solve::StageStatus;

/// A stage's name in progress lines.
pub fn stage_name(stage: Stage, lang: Lang) -> &'static str {
    match stage {
        Stage::Compliance => lang.pick("达标学段", "compliance"),
        Stage::Shortfall => lang.pick("缺口", "shortfall"),
        Stage::SubjectGaps => lang.pick("学科缺员", "subject_gaps"),
        Stage::CvSquares => lang.pick("差异系数平方和", "cv_squares"),
        Stage::Structure => lang.pick("职称与年龄结构", "structure"),
        Stage::Forced => lang.pick("已安排交流的非自愿者", "non-volunteers moved"),
        Stage::Volunteers => lang.pick("已安排交流的自愿者", "volunteers moved"),
        Stage::Wish(k) => match k {
            1 => lang.pick("满足第一志愿", "granted at wish 1"),
            2 => lang.pick("满足第二志愿", "granted at wish 2"),
            3 => lang.pick("满足第三志愿", "granted at wish 3"),
            4 => lang.pick("满足第四志愿", "granted at wish 4"),
            _ => lang.pick("满足第五志愿", "granted at wish 5"),
        },
        Stage::Distance => lang.pick("总距离", "distance"),
    }
}

/// How a solve ended, in progress lines (English: summary.json's word).
pub fn status_word(status: StageStatus, lang: Lang) -> &'static str {
    match (status, lang) {
        (StageStatus::Optimal, Lang::Zh) => "最优",
        (StageStatus::TimeLimit, Lang::Zh) => "时限内未证明最优",
        (StageStatus::Infeasible, Lang::Zh) => "无可行方案",
        (_, Lang::En) => status.word(),
    }
}

/// A stage's optimum as a progress line shows it: a count (sections,
/// teachers, wishes) as a whole number, Σ CV² and the distance with six
/// decimals.
fn objective_text(stage: Stage, objective: f64) -> String {
    match stage {
        Stage::CvSquares | Stage::Structure | Stage::Distance => format!("{objective:.6}"),
        _ => format!("{objective:.0}"),
    }
}

/// "stage 2/4 shortfall" / "阶段 2/4 缺口".
fn stage_head(stage: Stage, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("阶段 {}/4 {}", stage.number(), stage_name(stage, lang)),
        Lang::En => format!("stage {}/4 {}", stage.number(), stage_name(stage, lang)),
    }
}

/// One progress event as a line of text (without indentation or newline).
pub fn progress_line(event: &Progress, lang: Lang) -> String {
    match lang {
        Lang::Zh => zh(event),
        Lang::En => en(event),
    }
}

fn zh(event: &Progress) -> String {
    let lang = Lang::Zh;
    let distance = stage_head(Stage::Distance, lang);
    match event {
        Progress::FeasibilityStarted { profiles, columns, rows } => {
            format!("阶段 0/4 可行性（{profiles} 类教师，{columns} 列，{rows} 行）…")
        }
        Progress::FeasibilityFound { seconds } => format!("阶段 0/4 可行性：有可行方案（{seconds:.2} 秒）"),
        Progress::StageStarted { stage } => format!("{} …", stage_head(*stage, lang)),
        Progress::StaleColumns { stage } => {
            format!("{}：带初始解的求解返回了过期的列值，不带初始解重新求解 …", stage_head(*stage, lang))
        }
        Progress::StageSolved { stage, status, objective, seconds } => {
            let objective = objective_text(*stage, *objective);
            format!("{}：{} {objective}（{seconds:.2} 秒）", stage_head(*stage, lang), status_word(*status, lang))
        }
        Progress::CountsSolved { vector, status, objective, seconds } => format!(
            "{distance}：达到阶段 3 最优的第 {vector} 组指标人数：{} {objective:.6}（{seconds:.2} 秒）",
            status_word(*status, lang)
        ),
        Progress::NoOtherCounts { stage, structure: false, seconds } => {
            format!("{}：没有其他指标人数达到阶段 3 的最优（{seconds:.2} 秒）", stage_head(*stage, Lang::Zh))
        }
        Progress::NoOtherCounts { stage, structure: true, seconds } => {
            format!("{}：没有其他职称与年龄人数达到阶段 3.1 的最优（{seconds:.2} 秒）", stage_head(*stage, Lang::Zh))
        }
        Progress::FullDistance => format!("{distance}：从目前最好的方案出发求解完整阶段 …"),
        Progress::HiresStandingStarted => "新聘 1/3：预算内可达到的最好达标情况 …".to_string(),
        Progress::HiresStanding { score, reachable, status } => {
            format!(
                "新聘 1/3：达标学段数与未超上限的差异系数个数合计 {score} / {reachable}（{}）",
                status_word(*status, lang)
            )
        }
        Progress::HiresFewestStarted => "新聘 2/3：达到该情况所需的最少新聘 …".to_string(),
        Progress::HiresFewest { hires, status } => {
            format!("新聘 2/3：新聘 {hires} 人（{}）", status_word(*status, lang))
        }
        Progress::HiresPlanStarted => "新聘 3/3：安置新聘后的本年度交流方案 …".to_string(),
        Progress::LeversStandingStarted => "措施 1/3：预算内可达到的最好达标情况 …".to_string(),
        Progress::LeversStanding { score, reachable, status } => {
            format!(
                "措施 1/3：达标学段数与未超上限的差异系数个数合计 {score} / {reachable}（{}）",
                status_word(*status, lang)
            )
        }
        Progress::LeversCheapestStarted => "措施 2/3：达到该情况的最低费用 …".to_string(),
        Progress::LeversCheapest { cost, status } => {
            format!("措施 2/3：费用 {cost} 千元（{}）", status_word(*status, lang))
        }
        Progress::LeversPlanStarted => "措施 3/3：采取措施后的本年度交流方案 …".to_string(),
        Progress::ScenarioDone { scenario } => format!("情景 {scenario} 完成"),
    }
}

fn en(event: &Progress) -> String {
    let lang = Lang::En;
    let distance = stage_head(Stage::Distance, lang);
    match event {
        Progress::FeasibilityStarted { profiles, columns, rows } => {
            format!("stage 0/4 feasibility ({profiles} profiles, {columns} columns, {rows} rows) …")
        }
        Progress::FeasibilityFound { seconds } => format!("stage 0/4 feasibility: a plan exists ({seconds:.2} s)"),
        Progress::StageStarted { stage } => format!("{} …", stage_head(*stage, lang)),
        Progress::StaleColumns { stage } => {
            format!("{}: the started solve returned stale columns; solving again cold …", stage_head(*stage, lang))
        }
        Progress::StageSolved { stage, status, objective, seconds } => {
            let objective = objective_text(*stage, *objective);
            format!("{}: {} {objective} ({seconds:.2} s)", stage_head(*stage, lang), status.word())
        }
        Progress::CountsSolved { vector, status, objective, seconds } => format!(
            "{distance}: counts {vector} of stage 3's optimum: {} {objective:.6} ({seconds:.2} s)",
            status.word()
        ),
        Progress::NoOtherCounts { stage, structure: false, seconds } => {
            format!("{}: no other counts reach stage 3's optimum ({seconds:.2} s)", stage_head(*stage, Lang::En))
        }
        Progress::NoOtherCounts { stage, structure: true, seconds } => {
            format!(
                "{}: no other title and age counts reach stage 3.1's optimum ({seconds:.2} s)",
                stage_head(*stage, Lang::En)
            )
        }
        Progress::FullDistance => format!("{distance}: the full stage, from the best plan so far …"),
        Progress::HiresStandingStarted => "hires 1/3: best reachable standing within the budget …".to_string(),
        Progress::HiresStanding { score, reachable, status } => {
            format!(
                "hires 1/3: compliant sections and CVs within their limits, {score} of {reachable} ({})",
                status.word()
            )
        }
        Progress::HiresFewestStarted => "hires 2/3: fewest hires for that standing …".to_string(),
        Progress::HiresFewest { hires, status } => format!("hires 2/3: {hires} hire(s) ({})", status.word()),
        Progress::HiresPlanStarted => "hires 3/3: this year's plan with the hires placed …".to_string(),
        Progress::LeversStandingStarted => "levers 1/3: best reachable standing within the budget …".to_string(),
        Progress::LeversStanding { score, reachable, status } => {
            format!(
                "levers 1/3: compliant sections and CVs within their limits, {score} of {reachable} ({})",
                status.word()
            )
        }
        Progress::LeversCheapestStarted => "levers 2/3: least cost for that standing …".to_string(),
        Progress::LeversCheapest { cost, status } => {
            format!("levers 2/3: cost {cost} thousand yuan ({})", status.word())
        }
        Progress::LeversPlanStarted => "levers 3/3: this year's plan with the levers applied …".to_string(),
        Progress::ScenarioDone { scenario } => format!("scenario {scenario} done"),
    }
}

/// The stable id of a progress event's kind, for machines (snake_case).
pub fn event_id(event: &Progress) -> &'static str {
    match event {
        Progress::FeasibilityStarted { .. } => "feasibility_started",
        Progress::FeasibilityFound { .. } => "feasibility_found",
        Progress::StageStarted { .. } => "stage_started",
        Progress::StaleColumns { .. } => "stale_columns",
        Progress::StageSolved { .. } => "stage_solved",
        Progress::CountsSolved { .. } => "counts_solved",
        Progress::NoOtherCounts { .. } => "no_other_counts",
        Progress::FullDistance => "full_distance",
        Progress::HiresStandingStarted => "hires_standing_started",
        Progress::HiresStanding { .. } => "hires_standing",
        Progress::HiresFewestStarted => "hires_fewest_started",
        Progress::HiresFewest { .. } => "hires_fewest",
        Progress::HiresPlanStarted => "hires_plan_started",
        Progress::LeversStandingStarted => "levers_standing_started",
        Progress::LeversStanding { .. } => "levers_standing",
        Progress::LeversCheapestStarted => "levers_cheapest_started",
        Progress::LeversCheapest { .. } => "levers_cheapest",
        Progress::LeversPlanStarted => "levers_plan_started",
        Progress::ScenarioDone { .. } => "scenario_done",
    }
}

/// The stage an event is about, if any: the feasibility stage is stage 0,
/// the distance stage's count vectors are the distance stage's.
fn event_stage(event: &Progress) -> Option<(&'static str, String, &'static str, &'static str)> {
    let of = |stage: Stage| (stage.id(), stage.number(), stage_name(stage, Lang::Zh), stage_name(stage, Lang::En));
    match event {
        Progress::FeasibilityStarted { .. } | Progress::FeasibilityFound { .. } => {
            Some(("feasibility", "0".to_string(), "可行性", "feasibility"))
        }
        Progress::StageStarted { stage }
        | Progress::StaleColumns { stage }
        | Progress::StageSolved { stage, .. }
        | Progress::NoOtherCounts { stage, .. } => Some(of(*stage)),
        Progress::CountsSolved { .. } | Progress::FullDistance => Some(of(Stage::Distance)),
        _ => None,
    }
}

/// One progress event as a JSON object, for a page to draw a table of
/// stages: `event` (the kind's stable id, [`event_id`]); where the event has
/// them `stage` (the stage's id), `stage_number` (as in the worded line,
/// `"3"`, `"2.1"`), `stage_name` (in `lang`), `status` (`optimal`,
/// `time_limit`, `infeasible`), `seconds`, `objective`, and the event's
/// own counts (`profiles`, `columns`, `rows`, `vector`, `score`,
/// `reachable`, `hires`, `cost`, `scenario`); and always `text`, the line
/// [`progress_line`] gives. A figure that is not finite is left out.
pub fn progress_json(event: &Progress, lang: Lang) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let mut object = Map::new();
    object.insert("event".into(), json!(event_id(event)));
    if let Some((id, number, zh, en)) = event_stage(event) {
        object.insert("stage".into(), json!(id));
        object.insert("stage_number".into(), json!(number));
        object.insert("stage_name".into(), json!(lang.pick(zh, en)));
    }
    let mut put = |key: &str, value: Value| {
        object.insert(key.into(), value);
    };
    let number = |x: f64| if x.is_finite() { json!(x) } else { Value::Null };
    match event {
        Progress::FeasibilityStarted { profiles, columns, rows } => {
            put("profiles", json!(profiles));
            put("columns", json!(columns));
            put("rows", json!(rows));
        }
        Progress::FeasibilityFound { seconds } | Progress::NoOtherCounts { seconds, .. } => {
            put("seconds", number(*seconds));
        }
        Progress::StageSolved { status, objective, seconds, .. } => {
            put("status", json!(status.word()));
            put("objective", number(*objective));
            put("seconds", number(*seconds));
        }
        Progress::CountsSolved { vector, status, objective, seconds } => {
            put("vector", json!(vector));
            put("status", json!(status.word()));
            put("objective", number(*objective));
            put("seconds", number(*seconds));
        }
        Progress::HiresStanding { score, reachable, status }
        | Progress::LeversStanding { score, reachable, status } => {
            put("score", json!(score));
            put("reachable", json!(reachable));
            put("status", json!(status.word()));
        }
        Progress::HiresFewest { hires, status } => {
            put("hires", json!(hires));
            put("status", json!(status.word()));
        }
        Progress::LeversCheapest { cost, status } => {
            put("cost", json!(cost));
            put("status", json!(status.word()));
        }
        Progress::ScenarioDone { scenario } => put("scenario", json!(scenario)),
        _ => {}
    }
    object.retain(|_, value| !value.is_null());
    object.insert("text".into(), json!(progress_line(event, lang)));
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_is_shown_whole_and_a_sum_of_squares_with_decimals() {
        let solved =
            |stage, objective| Progress::StageSolved { stage, status: StageStatus::Optimal, objective, seconds: 0.5 };
        assert_eq!(progress_line(&solved(Stage::Compliance, 7.0), Lang::Zh), "阶段 1/4 达标学段：最优 7（0.50 秒）");
        assert_eq!(
            progress_line(&solved(Stage::Shortfall, 37.0), Lang::En),
            "stage 2/4 shortfall: optimal 37 (0.50 s)"
        );
        assert_eq!(
            progress_line(&solved(Stage::CvSquares, 0.184765), Lang::Zh),
            "阶段 3/4 差异系数平方和：最优 0.184765（0.50 秒）"
        );
    }
}
