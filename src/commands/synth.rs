//! Synthetic counties that look like a real rural county (modelled on Anze
//! County, Shanxi), for trying the planner and for benchmarks.
//!
//! A county is built from blocks of 20 schools that follow one pattern: large
//! urban primary and junior schools in the county town (府城镇), central
//! schools in the towns (镇区), nine-year schools (九年一贯制) in the
//! townships (乡), and small village schools and teaching points (教学点).
//! Urban schools are rich in backbone and degree-holding teachers; PE and arts
//! teachers are scarce in the countryside, so the county does not pass the
//! inspection as generated, and a rotation of urban backbone teachers can help.
//!
//! Everything is drawn from one `ChaCha8Rng` stream in a fixed order and every
//! float is printed with a fixed number of decimals: the same seed gives the
//! same bytes. The work is linear in the number of schools and teachers.

use std::path::Path;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::{Area, Backbone, Degree, Gender, Level, Role, SchoolKind, Subject, Title};
use crate::error::Error;
use crate::render::outdir::{OutputFolder, OutputKind};
use crate::render::output::OutputFiles;

/// The school year the synthetic county is planned for.
const YEAR: i32 = 2025;
/// Schools in one block of the pattern.
const BLOCK: usize = 20;
/// Towns other than the county town in one block.
const TOWNS_PER_BLOCK: usize = 6;
/// The default `standards.junior_weight`, used to size a nine-year school's facilities.
const JUNIOR_WEIGHT: f64 = 1.1;
/// Centre of the county town (府城镇), WGS84 degrees.
const CENTRE: (f64, f64) = (36.150, 112.250);
/// Kilometres per degree of latitude.
const KM_PER_DEG_LAT: f64 = 111.2;
/// The county town, shared by every block.
const COUNTY_TOWN: &str = "府城镇";
/// Towns of the first block: three towns (镇) then three townships (乡).
const ANZE_TOWNS: [&str; TOWNS_PER_BLOCK] = ["和川", "唐城", "冀氏", "马必", "杜村", "良马"];
/// Town name stems for further blocks (fiction).
const MORE_TOWNS: [&str; 24] = [
    "东岭", "西坡", "南沟", "北峪", "石门", "柳泉", "青龙", "白云", "桃园", "龙泉", "枣岭", "松峪", "杏河", "清泉",
    "高崖", "红岩", "双河", "三交", "黄花", "泉头", "兰村", "庄头", "马壁", "东沟",
];
/// First characters of village names.
const VILLAGE_HEADS: [&str; 20] = [
    "东", "西", "南", "北", "上", "下", "前", "后", "石", "柳", "杨", "李", "王", "张", "马", "高", "河", "桃", "枣",
    "罗",
];
/// Second characters of village names.
const VILLAGE_TAILS: [&str; 10] = ["村", "庄", "沟", "坡", "峪", "寨", "岭", "湾", "坪", "洼"];
/// Surnames common in southern Shanxi.
const SURNAMES: [&str; 60] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "郭", "任", "武", "贾", "韩", "冯", "牛", "田", "史", "梁", "秦", "卫",
    "段", "席", "崔", "孙", "胡", "高", "马", "宋", "郝", "闫", "薛", "吴", "周", "徐", "孟", "范", "董", "曹", "程",
    "许", "苏", "乔", "侯", "申", "霍", "常", "白", "原", "靳", "吕", "姚", "卢", "温", "翟", "邢", "尚", "解", "岳",
    "裴", "柴", "樊",
];
/// Given-name characters used more for women.
const GIVEN_FEMALE: [&str; 40] = [
    "丽", "芳", "娟", "敏", "静", "霞", "燕", "红", "艳", "玲", "慧", "婷", "雪", "梅", "英", "琴", "晶", "洁", "佳",
    "璐", "萍", "瑶", "欣", "倩", "莉", "娜", "颖", "琳", "悦", "媛", "蓉", "丹", "雅", "秀", "月", "彤", "薇", "茜",
    "凤", "兰",
];
/// Given-name characters used more for men.
const GIVEN_MALE: [&str; 40] = [
    "伟", "强", "军", "磊", "勇", "杰", "涛", "斌", "鹏", "刚", "明", "华", "建", "平", "东", "峰", "波", "辉", "林",
    "浩", "宇", "志", "文", "俊", "超", "亮", "鑫", "锋", "龙", "海", "振", "国", "庆", "晋", "斌", "凯", "飞", "彬",
    "旭", "晨",
];
/// Given-name characters used for anyone.
const GIVEN_ANY: [&str; 20] = [
    "晓", "春", "秋", "新", "玉", "小", "永", "金", "艺", "思", "子", "嘉", "安", "宁", "文", "清", "一", "晴", "乐",
    "远",
];

/// A synthetic county as the text of its three files. Each CSV starts with a
/// UTF-8 BOM, exactly as [`write_county`] writes it to disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthCounty {
    /// schools.csv (SPEC §2), English headers.
    pub schools_csv: String,
    /// teachers.csv (SPEC §2), English headers.
    pub teachers_csv: String,
    /// policy.toml: `year = 2025`, every other key at its default.
    pub policy_toml: String,
}

/// Most schools a synthetic county may have: a province's worth (the
/// province benchmark builds 6,850), about 420,000 teachers and 40 MB of
/// CSV. A county has 10–300 schools (SPEC §8).
pub const MOST_SCHOOLS: usize = 10_000;

/// The files of a synthetic county: schools.csv, teachers.csv, policy.toml.
pub fn county_files(seed: u64, schools: usize) -> OutputFiles {
    let county = generate(seed, schools);
    let mut files = OutputFiles::new();
    files.add("schools.csv", county.schools_csv.into_bytes());
    files.add("teachers.csv", county.teachers_csv.into_bytes());
    files.add("policy.toml", county.policy_toml.into_bytes());
    files
}

/// Writes a synthetic county (schools.csv, teachers.csv, policy.toml) to `dir`
/// as one whole folder; `dir` must be new, empty or an earlier output of
/// `synth`, whose files are all replaced (see [`crate::render::outdir`]);
/// `schools` is 1 to [`MOST_SCHOOLS`].
pub fn write_county(dir: &Path, seed: u64, schools: usize) -> Result<(), Error> {
    if !(1..=MOST_SCHOOLS).contains(&schools) {
        return Err(Error::Input(vec![crate::error::InputProblem::new(
            "--schools",
            "",
            format!("{schools} is out of range; give a number of schools from 1 to {MOST_SCHOOLS}"),
        )]));
    }
    let folder = OutputFolder::claim(dir, OutputKind::Synth, &[], false)?;
    county_files(seed, schools).commit(&folder)
}

/// Builds a synthetic county of `schools` schools in memory, deterministically
/// from `seed`; about 42 teachers a school (20 schools: 800–900 teachers).
pub fn generate(seed: u64, schools: usize) -> SynthCounty {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let blocks = schools.div_ceil(BLOCK);
    let towns = lay_out_towns(&mut rng, blocks);
    let mut list = build_schools(&mut rng, &towns, schools);
    join_alliances(&mut rng, &mut list);
    SynthCounty {
        schools_csv: schools_csv(&list),
        teachers_csv: teachers_csv(&mut rng, &list),
        policy_toml: format!(
            "# A synthetic county (fiction): rotaplan synth --seed {seed} --schools {schools}\n\
             # Every key not given here keeps its default (SPEC §2).\nyear = {YEAR}\n"
        ),
    }
}

/// Where in its town a school of the pattern stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// In the county town (urban).
    CountyTown,
    /// At the seat of a town or township (its central school).
    TownSeat,
    /// In a village of the town.
    Village,
}

/// One school of the 20-school pattern; `town` 0 is the county town, 1–3 the
/// towns (镇), 4–6 the townships (乡).
#[derive(Clone, Copy, Debug)]
struct Slot {
    kind: SchoolKind,
    town: usize,
    place: Place,
}

const fn slot(kind: SchoolKind, town: usize, place: Place) -> Slot {
    Slot { kind, town, place }
}

/// The pattern of one block, in the order schools are added, so that a
/// county smaller than a block still mixes every kind and area.
const PATTERN: [Slot; BLOCK] = [
    slot(SchoolKind::Primary, 0, Place::CountyTown),
    slot(SchoolKind::Junior, 0, Place::CountyTown),
    slot(SchoolKind::Primary, 1, Place::TownSeat),
    slot(SchoolKind::NineYear, 4, Place::TownSeat),
    slot(SchoolKind::TeachingPoint, 1, Place::Village),
    slot(SchoolKind::Primary, 0, Place::CountyTown),
    slot(SchoolKind::Junior, 1, Place::TownSeat),
    slot(SchoolKind::Primary, 2, Place::TownSeat),
    slot(SchoolKind::Junior, 2, Place::TownSeat),
    slot(SchoolKind::NineYear, 5, Place::TownSeat),
    slot(SchoolKind::TeachingPoint, 4, Place::Village),
    slot(SchoolKind::Primary, 0, Place::CountyTown),
    slot(SchoolKind::Junior, 0, Place::CountyTown),
    slot(SchoolKind::Primary, 3, Place::TownSeat),
    slot(SchoolKind::Junior, 3, Place::TownSeat),
    slot(SchoolKind::NineYear, 6, Place::TownSeat),
    slot(SchoolKind::TeachingPoint, 5, Place::Village),
    slot(SchoolKind::Primary, 2, Place::Village),
    slot(SchoolKind::TeachingPoint, 6, Place::Village),
    slot(SchoolKind::Primary, 3, Place::Village),
];

/// A town or township with the centre its schools gather around.
#[derive(Clone, Debug)]
struct Town {
    name: String,
    /// A township (乡): its seat is rural, not 镇区.
    township: bool,
    lat: f64,
    lon: f64,
}

/// The county town first, then six towns per block around it, each block a
/// ring further out (a 20-school county spans about 40 km).
fn lay_out_towns(rng: &mut ChaCha8Rng, blocks: usize) -> Vec<Town> {
    let mut towns = vec![Town { name: COUNTY_TOWN.to_string(), township: false, lat: CENTRE.0, lon: CENTRE.1 }];
    for block in 0..blocks {
        let ring = ((block + 1) as f64).sqrt();
        for (i, anze) in ANZE_TOWNS.iter().enumerate() {
            let township = i >= 3;
            let suffix = if township { "乡" } else { "镇" };
            let name = if block == 0 {
                format!("{anze}{suffix}")
            } else {
                let n = (block - 1) * TOWNS_PER_BLOCK + i;
                let round = n / MORE_TOWNS.len();
                let stem = MORE_TOWNS[n % MORE_TOWNS.len()];
                if round == 0 {
                    format!("{stem}{suffix}")
                } else {
                    format!("{stem}{suffix}{}", round + 1)
                }
            };
            let angle = (i as f64 * 60.0 + 25.0 + block as f64 * 23.0 + rng.random_range(-12.0..12.0)).to_radians();
            let km = (9.0 + 3.5 * (i % 3) as f64 + rng.random_range(0.0..4.0)) * ring;
            let (lat, lon) = offset(CENTRE, km, angle);
            towns.push(Town { name, township, lat, lon });
        }
    }
    towns
}

/// The point `km` away from `from` in direction `angle` (radians from north).
fn offset(from: (f64, f64), km: f64, angle: f64) -> (f64, f64) {
    let lat = from.0 + km * angle.cos() / KM_PER_DEG_LAT;
    let lon = from.1 + km * angle.sin() / (KM_PER_DEG_LAT * from.0.to_radians().cos());
    (lat, lon)
}

/// A generated school with everything schools.csv needs, and its teacher counts.
#[derive(Clone, Debug)]
struct SynthSchool {
    id: String,
    name: String,
    town: String,
    kind: SchoolKind,
    area: Area,
    place: Place,
    block: usize,
    students: [u32; 2],
    classes: [u32; 2],
    lat: f64,
    lon: f64,
    alliance: Option<String>,
    /// teaching_area_m2, sports_area_m2, equipment_yuan, multimedia_rooms, printed.
    facilities: [Option<String>; 4],
    staff_quota: Option<u32>,
    /// Teachers per section, indexed by [`Level::index`].
    teachers: [u32; 2],
}

fn build_schools(rng: &mut ChaCha8Rng, towns: &[Town], count: usize) -> Vec<SynthSchool> {
    let mut list = Vec::with_capacity(count);
    let mut urban_numbers = [0usize; 2];
    let mut village_counter = rng.random_range(0..VILLAGE_HEADS.len() * VILLAGE_TAILS.len());
    let mut order = Vec::with_capacity(count);
    for index in 0..count {
        let block = index / BLOCK;
        let in_block = index % BLOCK;
        let slot = PATTERN[in_block];
        let town = if slot.town == 0 { &towns[0] } else { &towns[1 + block * TOWNS_PER_BLOCK + slot.town - 1] };
        let area = match slot.place {
            Place::CountyTown => Area::Urban,
            Place::TownSeat if !town.township => Area::Town,
            _ => Area::Rural,
        };
        let village = if slot.place == Place::Village {
            // A stride coprime with the 200 names walks them all before repeating.
            village_counter = (village_counter + 37) % (VILLAGE_HEADS.len() * VILLAGE_TAILS.len());
            format!(
                "{}{}",
                VILLAGE_HEADS[village_counter % VILLAGE_HEADS.len()],
                VILLAGE_TAILS[village_counter / VILLAGE_HEADS.len()]
            )
        } else {
            String::new()
        };
        let name = match (slot.place, slot.kind) {
            (Place::CountyTown, kind) => {
                let n = if kind == SchoolKind::Junior { 1 } else { 0 };
                urban_numbers[n] += 1;
                let number = chinese_number(urban_numbers[n]);
                match kind {
                    SchoolKind::Junior => format!("{}第{number}初级中学", town.name),
                    _ => format!("{}第{number}小学", town.name),
                }
            }
            (place, kind) => {
                let at = if place == Place::Village { village.as_str() } else { "" };
                match (kind, place) {
                    (SchoolKind::Primary, Place::TownSeat) => format!("{}中心小学", town.name),
                    (SchoolKind::Primary, _) => format!("{}{at}小学", town.name),
                    (SchoolKind::Junior, _) => format!("{}{at}初级中学", town.name),
                    (SchoolKind::NineYear, _) => format!("{}{at}九年一贯制学校", town.name),
                    (SchoolKind::TeachingPoint, _) => format!("{}{at}教学点", town.name),
                }
            }
        };
        // The first teaching point of a block is a tiny one, under 50 students.
        let tiny = slot.kind == SchoolKind::TeachingPoint && in_block == 4;
        let students = draw_students(rng, slot, area, tiny);
        let classes = draw_classes(rng, slot, area, students);
        let teachers = [0, 1].map(|l| draw_teachers(rng, slot, area, l, students[l], classes[l]));
        let (lat, lon) = match slot.place {
            Place::CountyTown => {
                offset((town.lat, town.lon), rng.random_range(0.2..2.2), rng.random_range(0.0..360.0f64).to_radians())
            }
            Place::TownSeat => {
                offset((town.lat, town.lon), rng.random_range(0.0..0.8), rng.random_range(0.0..360.0f64).to_radians())
            }
            Place::Village => {
                offset((town.lat, town.lon), rng.random_range(2.5..7.5), rng.random_range(0.0..360.0f64).to_radians())
            }
        };
        let facilities = draw_facilities(rng, slot, area, students);
        let headcount = teachers[0] + teachers[1];
        let staff_quota = (slot.kind != SchoolKind::TeachingPoint && rng.random_bool(0.4))
            .then(|| headcount.saturating_add_signed(rng.random_range(-3..=6)).max(1));
        let area_rank = match area {
            Area::Urban => 0,
            Area::Town => 1,
            Area::Rural => 2,
        };
        order.push((slot.kind, area_rank, block, slot.town, in_block, index));
        list.push(SynthSchool {
            id: String::new(),
            name,
            town: town.name.clone(),
            kind: slot.kind,
            area,
            place: slot.place,
            block,
            students,
            classes,
            lat,
            lon,
            alliance: None,
            facilities,
            staff_quota,
            teachers,
        });
    }
    // Ids number each kind urban first, then town, then rural, so that
    // AZ-P01 is the county town's first primary school.
    order.sort();
    let mut per_kind: Vec<(SchoolKind, usize)> = Vec::new();
    for &(kind, ..) in &order {
        match per_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => per_kind.push((kind, 1)),
        }
    }
    let mut numbered = per_kind.iter().map(|(k, _)| (*k, 0usize)).collect::<Vec<_>>();
    for &(kind, .., index) in &order {
        let total = per_kind.iter().find(|(k, _)| *k == kind).map_or(1, |(_, n)| *n);
        let width = digits(total).max(2);
        let counter = numbered.iter_mut().find(|(k, _)| *k == kind).expect("kind was counted");
        counter.1 += 1;
        let letter = match kind {
            SchoolKind::Primary => 'P',
            SchoolKind::Junior => 'J',
            SchoolKind::NineYear => 'N',
            SchoolKind::TeachingPoint => 'T',
        };
        list[index].id = format!("AZ-{letter}{:0width$}", counter.1);
    }
    list.sort_by(|a, b| a.id.cmp(&b.id));
    list
}

/// Students per section [primary, junior] for a school of this slot.
fn draw_students(rng: &mut ChaCha8Rng, slot: Slot, area: Area, tiny: bool) -> [u32; 2] {
    match (slot.kind, area) {
        (SchoolKind::Primary, Area::Urban) => [rng.random_range(1300..=1800), 0],
        (SchoolKind::Junior, Area::Urban) => [0, rng.random_range(1050..=1500)],
        (SchoolKind::Primary, Area::Town) => [rng.random_range(380..=650), 0],
        (SchoolKind::Junior, Area::Town) => [0, rng.random_range(330..=560)],
        (SchoolKind::Primary, _) if slot.place == Place::TownSeat => [rng.random_range(220..=380), 0],
        (SchoolKind::Junior, _) => [0, rng.random_range(150..=300)],
        (SchoolKind::Primary, _) => [rng.random_range(90..=190), 0],
        (SchoolKind::NineYear, _) => [rng.random_range(130..=260), rng.random_range(80..=190)],
        (SchoolKind::TeachingPoint, _) if tiny => [rng.random_range(14..=46), 0],
        (SchoolKind::TeachingPoint, _) => [rng.random_range(25..=75), 0],
    }
}

/// Classes per section: urban classes are large (a few over the limit of
/// 45 / 50), village classes small, teaching points run mixed-grade classes.
fn draw_classes(rng: &mut ChaCha8Rng, slot: Slot, area: Area, students: [u32; 2]) -> [u32; 2] {
    let by_size = |students: u32, size: f64| ((students as f64 / size).round() as u32).max(1);
    let primary = match (slot.kind, area) {
        (_, _) if students[0] == 0 => 0,
        (SchoolKind::TeachingPoint, _) => (students[0] / 12).clamp(1, 4),
        (_, Area::Urban) => by_size(students[0], rng.random_range(41.0..47.5)),
        (_, Area::Town) => by_size(students[0], rng.random_range(30.0..42.0)),
        (SchoolKind::Primary, _) if slot.place == Place::TownSeat => {
            by_size(students[0], rng.random_range(24.0..34.0)).max(6)
        }
        _ => 6.min(students[0].div_ceil(8)),
    };
    let junior = match area {
        _ if students[1] == 0 => 0,
        Area::Urban => by_size(students[1], rng.random_range(45.0..53.0)),
        Area::Town => by_size(students[1], rng.random_range(36.0..47.0)),
        Area::Rural => students[1].div_ceil(42).max(3),
    };
    [primary, junior]
}

/// Full roll of one section: pupil–teacher ratios around 16–18 in town
/// primary schools, lower in junior schools and in the countryside.
fn draw_teachers(rng: &mut ChaCha8Rng, slot: Slot, area: Area, level: usize, students: u32, classes: u32) -> u32 {
    if students == 0 {
        return 0;
    }
    let junior = level == 1;
    let ratio = match (slot.kind, area, junior) {
        (SchoolKind::TeachingPoint, ..) => rng.random_range(9.0..13.0),
        (_, Area::Urban, false) => rng.random_range(15.5..17.5),
        (_, Area::Urban, true) => rng.random_range(11.0..12.5),
        (_, Area::Town, false) => rng.random_range(13.0..16.0),
        (_, Area::Town, true) => rng.random_range(10.0..12.0),
        (SchoolKind::Primary, _, _) if slot.place == Place::Village => rng.random_range(8.0..11.0),
        (_, _, false) => rng.random_range(9.5..12.5),
        (_, _, true) => rng.random_range(7.5..10.0),
    };
    let by_ratio = (students as f64 / ratio).round() as u32;
    let floor = if junior { classes * 2 + 2 } else { classes + 1 };
    by_ratio.max(floor).max(2)
}

/// Facility totals, printed: enough for the standard, except that some
/// schools (urban ones more often) fall a little short on one of them; a few
/// schools lack a figure, half the teaching points lack all four.
fn draw_facilities(rng: &mut ChaCha8Rng, slot: Slot, area: Area, students: [u32; 2]) -> [Option<String>; 4] {
    // Standards of SPEC §2 [primary, junior]; multimedia is per 100 students.
    const STANDARDS: [[f64; 2]; 4] = [[4.5, 5.8], [7.5, 10.2], [2000.0, 2500.0], [2.3, 2.4]];
    let weighted = students[0] as f64 + JUNIOR_WEIGHT * students[1] as f64;
    let required = STANDARDS.map(|[p, j]| {
        let primary = if students[0] > 0 { p * weighted } else { 0.0 };
        let junior = if students[1] > 0 { j * weighted / JUNIOR_WEIGHT } else { 0.0 };
        primary.max(junior)
    });
    let weak_chance = match area {
        Area::Urban => 0.5,
        Area::Town => 0.25,
        Area::Rural => 0.2,
    };
    let weak = rng.random_bool(weak_chance).then(|| {
        if area == Area::Urban && rng.random_bool(0.7) {
            1
        } else {
            rng.random_range(0..3)
        }
    });
    let (low, high) = match area {
        Area::Urban => (1.02, 1.5),
        Area::Town => (1.05, 1.9),
        Area::Rural => (1.1, 2.6),
    };
    let mut totals = [0usize, 1, 2, 3].map(|f| {
        let factor = if weak == Some(f) { rng.random_range(0.87..0.98) } else { rng.random_range(low..high) };
        let total = required[f] * factor;
        Some(match f {
            0 | 1 => format!("{:.1}", total),
            2 => format!("{:.0}", (total / 100.0).round() * 100.0),
            _ => format!("{}", (total / 100.0).ceil().max(1.0) as u32),
        })
    });
    if slot.kind == SchoolKind::TeachingPoint && rng.random_bool(0.5) {
        totals = [None, None, None, None];
    } else if rng.random_bool(0.08) {
        totals[rng.random_range(0..4)] = None;
    }
    totals
}

/// Urban–rural alliances (城乡教育联盟): about two schools in three outside
/// the county town join one led by an urban school of their block with the
/// same section; a leader gets its alliance id only when someone joins.
fn join_alliances(rng: &mut ChaCha8Rng, list: &mut [SynthSchool]) {
    let blocks = list.iter().map(|s| s.block + 1).max().unwrap_or(0);
    let mut leaders: Vec<[Vec<usize>; 2]> = vec![[Vec::new(), Vec::new()]; blocks];
    for (i, school) in list.iter().enumerate() {
        if school.area == Area::Urban {
            let level = if school.kind == SchoolKind::Junior { 1 } else { 0 };
            leaders[school.block][level].push(i);
        }
    }
    let mut members: Vec<Option<usize>> = vec![None; list.len()];
    for (i, school) in list.iter().enumerate() {
        if school.area == Area::Urban || !rng.random_bool(0.65) {
            continue;
        }
        let [primary, junior] = &leaders[school.block];
        let choices: Vec<usize> = match school.kind {
            SchoolKind::Junior => junior.clone(),
            SchoolKind::NineYear => primary.iter().chain(junior).copied().collect(),
            _ => primary.clone(),
        };
        let choices = if choices.is_empty() { primary.iter().chain(junior).copied().collect() } else { choices };
        if !choices.is_empty() {
            members[i] = Some(choices[rng.random_range(0..choices.len())]);
        }
    }
    let mut led = vec![false; list.len()];
    for leader in members.iter().flatten() {
        led[*leader] = true;
    }
    let mut ids: Vec<Option<String>> = vec![None; list.len()];
    let mut next = 0;
    for (i, leads) in led.iter().enumerate() {
        if *leads {
            next += 1;
            ids[i] = Some(format!("A{next}"));
        }
    }
    for i in 0..list.len() {
        list[i].alliance = match members[i] {
            Some(leader) => ids[leader].clone(),
            None => ids[i].clone(),
        };
    }
}

/// A CSV writer into memory whose output starts with a UTF-8 BOM.
fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::Writer::from_writer("\u{feff}".as_bytes().to_vec())
}

/// The finished text of a writer made by [`csv_writer`].
fn csv_text(writer: csv::Writer<Vec<u8>>) -> String {
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("every field is UTF-8")
}

fn schools_csv(list: &[SynthSchool]) -> String {
    let mut out = csv_writer();
    let header = [
        "school_id",
        "name",
        "town",
        "kind",
        "area",
        "primary_students",
        "junior_students",
        "primary_classes",
        "junior_classes",
        "lat",
        "lon",
        "alliance",
        "teaching_area_m2",
        "sports_area_m2",
        "equipment_yuan",
        "multimedia_rooms",
        "staff_quota",
    ];
    out.write_record(header).expect("writing to memory cannot fail");
    for s in list {
        let [teaching, sports, equipment, rooms] = &s.facilities;
        let record = [
            s.id.clone(),
            s.name.clone(),
            s.town.clone(),
            s.kind.word().to_string(),
            s.area.word().to_string(),
            s.students[0].to_string(),
            s.students[1].to_string(),
            s.classes[0].to_string(),
            s.classes[1].to_string(),
            format!("{:.5}", s.lat),
            format!("{:.5}", s.lon),
            s.alliance.clone().unwrap_or_default(),
            teaching.clone().unwrap_or_default(),
            sports.clone().unwrap_or_default(),
            equipment.clone().unwrap_or_default(),
            rooms.clone().unwrap_or_default(),
            s.staff_quota.map(|q| q.to_string()).unwrap_or_default(),
        ];
        out.write_record(&record).expect("writing to memory cannot fail");
    }
    csv_text(out)
}

fn teachers_csv(rng: &mut ChaCha8Rng, list: &[SynthSchool]) -> String {
    let total: u32 = list.iter().map(|s| s.teachers[0] + s.teachers[1]).sum();
    let width = digits(total as usize).max(4);
    let mut out = csv_writer();
    let header = [
        "teacher_id",
        "name",
        "school_id",
        "section",
        "subject",
        "degree",
        "backbone",
        "title",
        "gender",
        "birth_year",
        "school_since",
        "certified",
        "full_time",
        "role",
        "exempt",
        "last_rotated",
    ];
    out.write_record(header).expect("writing to memory cannot fail");
    let mut number = 0usize;
    for school in list {
        let headcount = school.teachers[0] + school.teachers[1];
        let vice_principals = match headcount {
            0..=39 => 0,
            40..=99 => 1,
            _ => 2,
        };
        let mut in_school = 0u32;
        for level in Level::BOTH {
            let subjects = section_subjects(rng, level, school.area, school.place, school.teachers[level.index()]);
            let mut section = Vec::with_capacity(subjects.len());
            for subject in subjects {
                let role = match in_school {
                    0 => Role::Principal,
                    n if n <= vice_principals => Role::VicePrincipal,
                    _ => Role::Teacher,
                };
                in_school += 1;
                section.push(draw_teacher(rng, school, level, subject, role));
            }
            appoint_backbone(rng, school.area, &mut section);
            for teacher in section {
                number += 1;
                let title = draw_title(rng, YEAR - teacher.birth_year, teacher.backbone, teacher.role);
                let record = [
                    format!("T{number:0width$}"),
                    teacher.name,
                    school.id.clone(),
                    level.word().to_string(),
                    teacher.subject.word().to_string(),
                    teacher.degree.word().to_string(),
                    teacher.backbone.word().to_string(),
                    title.map(|t| t.word().to_string()).unwrap_or_default(),
                    teacher.gender.word().to_string(),
                    teacher.birth_year.to_string(),
                    teacher.school_since.to_string(),
                    yes_no(teacher.certified),
                    yes_no(teacher.full_time),
                    teacher.role.word().to_string(),
                    teacher.exempt.unwrap_or_default().to_string(),
                    teacher.last_rotated.map(|y| y.to_string()).unwrap_or_default(),
                ];
                out.write_record(&record).expect("writing to memory cannot fail");
            }
        }
    }
    csv_text(out)
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

/// One generated teacher, before it is printed.
struct SynthTeacher {
    name: String,
    subject: Subject,
    degree: Degree,
    backbone: Backbone,
    role: Role,
    gender: Gender,
    birth_year: i32,
    school_since: i32,
    certified: bool,
    full_time: bool,
    exempt: Option<&'static str>,
    last_rotated: Option<i32>,
}

/// One teacher of a section, teaching `subject`.
fn draw_teacher(
    rng: &mut ChaCha8Rng,
    school: &SynthSchool,
    level: Level,
    subject: Subject,
    role: Role,
) -> SynthTeacher {
    let area = school.area;
    let female_share = match (level, area) {
        (Level::Primary, Area::Urban) => 0.8,
        (Level::Primary, Area::Town) => 0.7,
        (Level::Primary, Area::Rural) => 0.6,
        (Level::Junior, Area::Urban) => 0.62,
        (Level::Junior, _) => 0.52,
    };
    let gender = if role == Role::Principal && rng.random_bool(0.6) {
        Gender::Male
    } else if rng.random_bool(female_share) {
        Gender::Female
    } else {
        Gender::Male
    };
    let oldest = if gender == Gender::Male { 59 } else { 55 };
    let age = draw_age(rng, area, role, oldest);
    let birth_year = YEAR - age;
    let degree = draw_degree(rng, level, area, age);
    let career_start = (birth_year + rng.random_range(21..=24)).min(YEAR);
    let career = YEAR - career_start;
    let settled = match area {
        Area::Urban => 0.66,
        Area::Town => 0.62,
        Area::Rural => 0.56,
    };
    let years_here = if career >= 6 && rng.random_bool(settled) {
        rng.random_range(6..=career.min(30))
    } else {
        rng.random_range(0..=career.min(5))
    };
    let school_since = YEAR - years_here;
    let last_rotated =
        (years_here >= 6 && rng.random_bool(0.08)).then(|| rng.random_range((YEAR - 9).max(school_since + 3)..YEAR));
    let exempt = if role == Role::Teacher && rng.random_bool(0.018) {
        if gender == Gender::Female && age < 40 && rng.random_bool(0.75) {
            Some("怀孕")
        } else {
            Some("病休")
        }
    } else {
        None
    };
    let full_time = role != Role::Teacher || !rng.random_bool(0.03);
    let certified = !rng.random_bool(if age < 27 { 0.08 } else { 0.02 });
    SynthTeacher {
        name: draw_name(rng, gender),
        subject,
        degree,
        backbone: Backbone::None,
        role,
        gender,
        birth_year,
        school_since,
        certified,
        full_time,
        exempt,
        last_rotated,
    }
}

/// Age 23 up to `oldest`: many in mid-career, rural staff a little older,
/// principals 38 or over.
fn draw_age(rng: &mut ChaCha8Rng, area: Area, role: Role, oldest: i32) -> i32 {
    if role != Role::Teacher {
        return rng.random_range(38..=oldest.min(56));
    }
    let young = if area == Area::Rural { 0.25 } else { 0.3 };
    let r: f64 = rng.random();
    if r < young {
        rng.random_range(23..=32)
    } else if r < young + 0.42 {
        rng.random_range(33..=45)
    } else {
        rng.random_range(46..=oldest)
    }
}

/// Picks from `(value, weight)` pairs; the weights need not sum to 1.
fn pick<T: Copy>(rng: &mut ChaCha8Rng, choices: &[(T, f64)]) -> T {
    let total: f64 = choices.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0.0..total);
    for &(value, weight) in choices {
        if x < weight {
            return value;
        }
        x -= weight;
    }
    choices[choices.len() - 1].0
}

/// The subjects of a section's `count` teachers in random order: one
/// Chinese and one maths teacher, the rest in the proportions of
/// [`subject_mix`] by systematic sampling, so that every subject gets its
/// share rounded up or down and a small school has one PE teacher or none.
fn section_subjects(rng: &mut ChaCha8Rng, level: Level, area: Area, place: Place, count: u32) -> Vec<Subject> {
    let mix = subject_mix(level, area, place);
    let total: f64 = mix.iter().map(|(_, w)| w).sum();
    let rest = count.saturating_sub(2);
    let start: f64 = rng.random();
    let mut subjects: Vec<Subject> = [Subject::Chinese, Subject::Math].into_iter().take(count as usize).collect();
    let mut at = 0;
    let mut upto = mix[0].1;
    for k in 0..rest {
        let point = (k as f64 + start) / rest as f64 * total;
        while point >= upto && at + 1 < mix.len() {
            at += 1;
            upto += mix[at].1;
        }
        subjects.push(mix[at].0);
    }
    subjects.shuffle(rng);
    subjects
}

/// Weights of the subjects of a section; PE, music and art are scarce
/// outside the county town.
fn subject_mix(level: Level, area: Area, place: Place) -> Vec<(Subject, f64)> {
    use Subject::*;
    let (pe, arts) = match (area, place) {
        (Area::Urban, _) => (8.5, 5.5),
        (Area::Town, _) => (6.5, 4.0),
        (Area::Rural, Place::TownSeat) => (5.0, 2.4),
        (Area::Rural, _) => (4.2, 2.0),
    };
    match level {
        Level::Primary => vec![
            (Chinese, 30.0),
            (Math, 22.0),
            (English, 8.0),
            (Pe, pe),
            (Music, arts),
            (Art, arts),
            (Science, 6.0),
            (Ethics, 5.0),
            (It, 2.5),
            (Labor, 1.0),
            (Psychology, 1.0),
            (Practice, 1.0),
            (SpecialEd, 0.3),
            (Other, 1.2),
        ],
        Level::Junior => vec![
            (Chinese, 15.0),
            (Math, 15.0),
            (English, 13.0),
            (Physics, 7.0),
            (Chemistry, 5.0),
            (Biology, 5.0),
            (History, 6.0),
            (Geography, 5.0),
            (Ethics, 6.0),
            (Pe, pe),
            (Music, arts * 0.6),
            (Art, arts * 0.6),
            (It, 3.0),
            (Psychology, 1.0),
            (Labor, 1.0),
            (Other, 1.0),
        ],
    }
}

/// Degrees: bachelor's mostly, associate degrees and below more common in the
/// countryside and among older teachers.
fn draw_degree(rng: &mut ChaCha8Rng, level: Level, area: Area, age: i32) -> Degree {
    let [secondary, associate, bachelor, postgraduate] = match (level, area) {
        (Level::Primary, Area::Urban) => [2.0, 25.0, 68.0, 5.0],
        (Level::Primary, Area::Town) => [5.0, 38.0, 55.0, 2.0],
        (Level::Primary, Area::Rural) => [12.0, 45.0, 42.0, 1.0],
        (Level::Junior, Area::Urban) => [0.5, 8.0, 84.0, 7.5],
        (Level::Junior, Area::Town) => [1.0, 18.0, 78.0, 3.0],
        (Level::Junior, Area::Rural) => [3.0, 30.0, 66.0, 1.0],
    };
    let (old, young) = if age >= 48 { (3.0, 0.2) } else { (1.0, 1.0) };
    pick(
        rng,
        &[
            (Degree::Secondary, secondary * old),
            (Degree::Associate, associate),
            (Degree::Bachelor, bachelor),
            (Degree::Postgraduate, postgraduate * young),
        ],
    )
}

/// Names the backbone teachers of a section: about 24 % of an urban staff,
/// 15 % in towns and 9 % in the countryside (the share itself varies by ±20 %
/// between schools), mostly in mid-career and among the school leaders. A
/// national one is rare and urban.
fn appoint_backbone(rng: &mut ChaCha8Rng, area: Area, section: &mut [SynthTeacher]) {
    let rate = match area {
        Area::Urban => 0.24,
        Area::Town => 0.15,
        Area::Rural => 0.09,
    } * rng.random_range(0.8..1.2);
    let count = ((section.len() as f64 * rate + rng.random::<f64>()).floor() as usize).min(section.len());
    // Weighted sampling without replacement (Efraimidis–Spirakis): the
    // `count` largest keys u^(1/weight) win.
    let mut keys: Vec<(f64, usize)> = section
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let by_age = match YEAR - t.birth_year {
                ..=29 => 0.2,
                30..=34 => 0.8,
                35..=50 => 1.3,
                _ => 0.9,
            };
            let by_role = if t.role == Role::Teacher { 1.0 } else { 2.5 };
            (rng.random::<f64>().powf(1.0 / (by_age * by_role)), i)
        })
        .collect();
    keys.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let national = if area == Area::Urban { 1.5 } else { 0.0 };
    let province = if area == Area::Rural { 2.0 } else { 10.0 };
    for &(_, i) in keys.iter().take(count) {
        section[i].backbone = pick(
            rng,
            &[
                (Backbone::County, 56.0),
                (Backbone::City, 32.0),
                (Backbone::Province, province),
                (Backbone::National, national),
            ],
        );
    }
}

/// Titles follow age; senior titles go with backbone work; a few teachers'
/// titles are blank (the column is optional), never a school leader's.
fn draw_title(rng: &mut ChaCha8Rng, age: i32, backbone: Backbone, role: Role) -> Option<Title> {
    if role == Role::Teacher && rng.random_bool(0.015) {
        return None;
    }
    let star = if backbone >= Backbone::City { 3.0 } else { 1.0 };
    Some(match age {
        ..=25 => pick(rng, &[(Title::None, 40.0), (Title::Third, 30.0), (Title::Second, 30.0)]),
        26..=32 => pick(rng, &[(Title::Third, 10.0), (Title::Second, 70.0), (Title::First, 20.0)]),
        33..=42 => pick(rng, &[(Title::Second, 30.0), (Title::First, 60.0), (Title::Senior, 10.0 * star)]),
        _ => pick(
            rng,
            &[
                (Title::Second, 10.0),
                (Title::First, 50.0),
                (Title::Senior, 40.0 * star),
                (Title::Professor, 0.5 * star * star),
            ],
        ),
    })
}

/// A plausible two- or three-character name (fiction).
fn draw_name(rng: &mut ChaCha8Rng, gender: Gender) -> String {
    let surname = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let first = given_name_character(rng, gender);
    if rng.random_bool(0.35) {
        format!("{surname}{first}")
    } else {
        let second = given_name_character(rng, gender);
        format!("{surname}{first}{second}")
    }
}

fn given_name_character(rng: &mut ChaCha8Rng, gender: Gender) -> &'static str {
    if rng.random_bool(0.25) {
        GIVEN_ANY[rng.random_range(0..GIVEN_ANY.len())]
    } else if gender == Gender::Female {
        GIVEN_FEMALE[rng.random_range(0..GIVEN_FEMALE.len())]
    } else {
        GIVEN_MALE[rng.random_range(0..GIVEN_MALE.len())]
    }
}

/// Decimal digits of `n` (1 for 0).
fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// `n` in Chinese numerals as in school names (第十二小学), for 1 ≤ n ≤ 99,999.
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    const UNITS: [&str; 5] = ["", "十", "百", "千", "万"];
    if n == 0 {
        return DIGITS[0].to_string();
    }
    if (10..20).contains(&n) {
        let ones = n % 10;
        return if ones == 0 { "十".to_string() } else { format!("十{}", DIGITS[ones]) };
    }
    let places: Vec<usize> = n.to_string().bytes().map(|b| (b - b'0') as usize).collect();
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, &d) in places.iter().enumerate() {
        let unit = places.len() - 1 - i;
        if d == 0 {
            zero_pending = true;
            continue;
        }
        if zero_pending && !out.is_empty() {
            out.push_str(DIGITS[0]);
        }
        zero_pending = false;
        out.push_str(DIGITS[d]);
        out.push_str(UNITS[unit]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers_read_as_in_school_names() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(101), "一百零一");
        assert_eq!(chinese_number(110), "一百一十");
        assert_eq!(chinese_number(1005), "一千零五");
    }

    #[test]
    fn digits_counts_decimal_places() {
        assert_eq!(digits(0), 1);
        assert_eq!(digits(9), 1);
        assert_eq!(digits(10), 2);
        assert_eq!(digits(5000), 4);
    }
}
