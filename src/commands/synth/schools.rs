//! The schools of a synthetic county: kind, area, students, classes,
//! staff, place, facilities and alliances, and schools.csv.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::names::{chinese_number, digits, VILLAGE_HEADS, VILLAGE_TAILS};
use super::towns::{offset, Town};
use super::{csv_text, csv_writer, Place, Slot, BLOCK, JUNIOR_WEIGHT, PATTERN, TOWNS_PER_BLOCK};
use crate::domain::{Area, SchoolKind};
use crate::rules::distance::great_circle_km;

/// A generated school with everything schools.csv needs, and its teacher counts.
#[derive(Clone, Debug)]
pub(super) struct SynthSchool {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) town: String,
    pub(super) kind: SchoolKind,
    pub(super) area: Area,
    pub(super) place: Place,
    pub(super) block: usize,
    pub(super) students: [u32; 2],
    pub(super) classes: [u32; 2],
    pub(super) lat: f64,
    pub(super) lon: f64,
    pub(super) alliance: Option<String>,
    /// teaching_area_m2, sports_area_m2, equipment_yuan, multimedia_rooms, printed.
    pub(super) facilities: [Option<String>; 4],
    pub(super) staff_quota: Option<u32>,
    /// Teachers per section, indexed by [`Level::index`].
    pub(super) teachers: [u32; 2],
}

/// The schools of the county, drawn in the order of the pattern, then
/// numbered and sorted by id.
pub(super) fn build_schools(rng: &mut ChaCha8Rng, towns: &[Town], count: usize, stress: f64) -> Vec<SynthSchool> {
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
        let village = if slot.place == Place::Village { next_village(&mut village_counter) } else { String::new() };
        let name = school_name(slot, town, &village, &mut urban_numbers);
        let school = draw_school(rng, slot, town, area, (in_block, block), name, stress);
        let area_rank = match area {
            Area::Urban => 0,
            Area::Town => 1,
            Area::Rural => 2,
        };
        order.push((slot.kind, area_rank, block, slot.town, in_block, index));
        list.push(school);
    }
    number_schools(&mut list, order);
    list.sort_by(|a, b| a.id.cmp(&b.id));
    list
}

/// The next village name: a stride coprime with the 200 names walks them
/// all before repeating.
fn next_village(counter: &mut usize) -> String {
    *counter = (*counter + 37) % (VILLAGE_HEADS.len() * VILLAGE_TAILS.len());
    format!("{}{}", VILLAGE_HEADS[*counter % VILLAGE_HEADS.len()], VILLAGE_TAILS[*counter / VILLAGE_HEADS.len()])
}

/// A school's name: the county town's schools are numbered (第一小学, 第二
/// 初级中学 …), the others named after their town and village.
fn school_name(slot: Slot, town: &Town, village: &str, urban_numbers: &mut [usize; 2]) -> String {
    match (slot.place, slot.kind) {
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
            let at = if place == Place::Village { village } else { "" };
            match (kind, place) {
                (SchoolKind::Primary, Place::TownSeat) => format!("{}中心小学", town.name),
                (SchoolKind::Primary, _) => format!("{}{at}小学", town.name),
                (SchoolKind::Junior, _) => format!("{}{at}初级中学", town.name),
                (SchoolKind::NineYear, _) => format!("{}{at}九年一贯制学校", town.name),
                (SchoolKind::TeachingPoint, _) => format!("{}{at}教学点", town.name),
            }
        }
    }
}

/// One school of the pattern, its figures drawn in a fixed order (students,
/// classes, teachers, place, facilities, quota); its id comes later.
fn draw_school(
    rng: &mut ChaCha8Rng,
    slot: Slot,
    town: &Town,
    area: Area,
    (in_block, block): (usize, usize),
    name: String,
    stress: f64,
) -> SynthSchool {
    // The first teaching point of a block is a tiny one, under 50 students.
    let tiny = slot.kind == SchoolKind::TeachingPoint && in_block == 4;
    let students = draw_students(rng, slot, area, tiny);
    let classes = draw_classes(rng, slot, area, students);
    let teachers = [0, 1].map(|l| draw_teachers(rng, slot, area, (l, students[l], classes[l]), stress));
    let (lat, lon) = draw_location(rng, town, slot.place);
    let facilities = draw_facilities(rng, slot, area, students, stress);
    let headcount = teachers[0] + teachers[1];
    let staff_quota = (slot.kind != SchoolKind::TeachingPoint && rng.random_bool(0.4))
        .then(|| headcount.saturating_add_signed(rng.random_range(-3..=6)).max(1));
    SynthSchool {
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
    }
}

/// Where a school stands: near the centre of the county town or of its
/// town's seat, a village a few km out.
fn draw_location(rng: &mut ChaCha8Rng, town: &Town, place: Place) -> (f64, f64) {
    match place {
        Place::CountyTown => {
            offset((town.lat, town.lon), rng.random_range(0.2..2.2), rng.random_range(0.0..360.0f64).to_radians())
        }
        Place::TownSeat => {
            offset((town.lat, town.lon), rng.random_range(0.0..0.8), rng.random_range(0.0..360.0f64).to_radians())
        }
        Place::Village => {
            offset((town.lat, town.lon), rng.random_range(2.5..7.5), rng.random_range(0.0..360.0f64).to_radians())
        }
    }
}

/// Ids number each kind urban first, then town, then rural, so that
/// AZ-P01 is the county town's first primary school. `order` holds each
/// school's sort key, its last field the school's index in `list`.
fn number_schools(list: &mut [SynthSchool], mut order: Vec<(SchoolKind, u8, usize, usize, usize, usize)>) {
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
}

/// Students per section [primary, junior] for a school of this slot.
pub(super) fn draw_students(rng: &mut ChaCha8Rng, slot: Slot, area: Area, tiny: bool) -> [u32; 2] {
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
pub(super) fn draw_classes(rng: &mut ChaCha8Rng, slot: Slot, area: Area, students: [u32; 2]) -> [u32; 2] {
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
/// primary schools, lower in junior schools and in the countryside; under
/// `stress` the ratios are up to 30 % higher.
pub(super) fn draw_teachers(
    rng: &mut ChaCha8Rng,
    slot: Slot,
    area: Area,
    (level, students, classes): (usize, u32, u32),
    stress: f64,
) -> u32 {
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
    let by_ratio = (students as f64 / (ratio * (1.0 + 0.3 * stress))).round() as u32;
    let floor = if junior { classes * 2 + 2 } else { classes + 1 };
    by_ratio.max(floor).max(2)
}

/// Facility totals, printed: enough for the standard, except that some
/// schools (urban ones more often) fall a little short on one of them; a few
/// schools lack a figure, half the teaching points lack all four. Under
/// `stress` more schools fall short on one.
pub(super) fn draw_facilities(
    rng: &mut ChaCha8Rng,
    slot: Slot,
    area: Area,
    students: [u32; 2],
    stress: f64,
) -> [Option<String>; 4] {
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
    let weak_chance = weak_chance + (0.9 - weak_chance) * stress;
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
pub(super) fn join_alliances(rng: &mut ChaCha8Rng, list: &mut [SynthSchool]) {
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

impl SynthSchool {
    /// Where the school stands as schools.csv gives it (five decimals), so
    /// that distances drawn from it are those a reader of the files gets.
    pub(super) fn written_location(&self) -> (f64, f64) {
        let written = |x: f64| format!("{x:.5}").parse::<f64>().expect("a printed float reads back");
        (written(self.lat), written(self.lon))
    }

    /// The distance to `other` as the planner reckons it from the written
    /// coordinates: great-circle km × `road_factor` (`movement.road_factor`).
    pub(super) fn km_to(&self, other: &SynthSchool, road_factor: f64) -> f64 {
        great_circle_km(self.written_location(), other.written_location()) * road_factor
    }
}

pub(super) fn schools_csv(list: &[SynthSchool]) -> String {
    let mut out = csv_writer();
    let header = crate::render::data_folder::SCHOOL_HEADER;
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
