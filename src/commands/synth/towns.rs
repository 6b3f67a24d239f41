//! The towns of a synthetic county: the county town and rings of towns and
//! townships around it.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{CENTRE, COUNTY_TOWN, KM_PER_DEG_LAT, TOWNS_PER_BLOCK};

/// Towns of the first block: three towns (镇) then three townships (乡).
pub(super) const ANZE_TOWNS: [&str; TOWNS_PER_BLOCK] = ["和川", "唐城", "冀氏", "马必", "杜村", "良马"];

/// Town name stems for further blocks (fiction).
pub(super) const MORE_TOWNS: [&str; 24] = [
    "东岭", "西坡", "南沟", "北峪", "石门", "柳泉", "青龙", "白云", "桃园", "龙泉", "枣岭", "松峪", "杏河", "清泉",
    "高崖", "红岩", "双河", "三交", "黄花", "泉头", "兰村", "庄头", "马壁", "东沟",
];

/// A town or township with the centre its schools gather around.
#[derive(Clone, Debug)]
pub(super) struct Town {
    pub(super) name: String,
    /// A township (乡): its seat is rural, not 镇区.
    pub(super) township: bool,
    pub(super) lat: f64,
    pub(super) lon: f64,
}

/// The county town first, then six towns per block around it, each block a
/// ring further out (a 20-school county spans about 40 km).
pub(super) fn lay_out_towns(rng: &mut ChaCha8Rng, blocks: usize) -> Vec<Town> {
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
pub(super) fn offset(from: (f64, f64), km: f64, angle: f64) -> (f64, f64) {
    let lat = from.0 + km * angle.cos() / KM_PER_DEG_LAT;
    let lon = from.1 + km * angle.sin() / (KM_PER_DEG_LAT * from.0.to_radians().cos());
    (lat, lon)
}
