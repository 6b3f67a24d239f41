//! roads.csv: its columns, its raw row and the road it validates into.

use serde::Deserialize;

use super::{raw, report, take, RowProblems, SchoolRegistry};
use crate::domain::Road;
use crate::error::Text;
use crate::io::fields::{number, What};
use crate::io::table::{req, Column, Problems, Table};

/// Columns of roads.csv.
pub(crate) const ROAD_COLUMNS: &[Column] =
    &[req("from", &["起点"]), req("to", &["终点"]), req("km", &["公里", "距离"])];

/// A row of roads.csv as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawRoad {
    from: String,
    to: String,
    km: String,
}

impl RawRoad {
    fn validate(&self) -> Result<Road, RowProblems> {
        let mut bad = RowProblems::new();
        for (column, text) in [("from", &self.from), ("to", &self.to)] {
            if text.is_empty() {
                bad.push((
                    column,
                    Text::both("empty cell; give a school id or a town", "单元格为空；请填写学校代码或乡镇名"),
                ));
            }
        }
        if !self.from.is_empty() && self.from == self.to {
            bad.push((
                "to",
                Text::both(
                    format!("the road leads from \"{}\" to itself", self.from),
                    format!("道路的起点和终点都是「{}」", self.from),
                ),
            ));
        }
        let km = take(&mut bad, "km", number(&self.km, What::new("length in km", "道路长度（公里）"))).and_then(|km| {
            if km > 0.0 && km.is_finite() {
                Some(km)
            } else {
                bad.push((
                    "km",
                    Text::both(
                        format!("{} km; a road must be longer than 0 km", self.km),
                        format!("道路长度为「{}」公里；必须大于 0 公里", self.km),
                    ),
                ));
                None
            }
        });
        match km {
            Some(km) if bad.is_empty() => Ok(Road { from: self.from.clone(), to: self.to.clone(), km }),
            _ => Err(bad),
        }
    }
}

/// Validates roads.csv; an end that is neither a school id nor a town is a warning.
pub(crate) fn read_roads(
    table: &Table,
    schools: &SchoolRegistry,
    problems: &mut Problems,
    warnings: &mut Vec<Text>,
) -> Vec<Road> {
    let mut roads = Vec::new();
    let towns: std::collections::HashSet<&str> = schools.values().map(|s| s.town.as_str()).collect();
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawRoad>(table, row, &names, &values, problems) else { continue };
        match raw.validate() {
            Ok(road) => {
                for (column, node) in [("from", &road.from), ("to", &road.to)] {
                    let known = schools.contains_key(node) || towns.contains(node.as_str());
                    if !known {
                        let at = format!("{}: {}: ", table.location(row.line, Some(column)), table.header(column));
                        warnings.push(Text::both(
                            format!("{at}\"{node}\" is neither a school id nor a town; it is kept as a junction"),
                            format!("{at}「{node}」既不是学校代码也不是乡镇，按道路交汇点保留"),
                        ));
                    }
                }
                roads.push(road);
            }
            Err(row_problems) => report(table, row.line, row_problems, problems),
        }
    }
    roads
}
