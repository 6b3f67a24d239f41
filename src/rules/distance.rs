//! Distances between schools: great-circle km × road_factor from lat/lon, or
//! shortest paths over the road graph of roads.csv (petgraph's Dijkstra).

use std::collections::BTreeMap;

use petgraph::algo::dijkstra;
use petgraph::graph::{NodeIndex, UnGraph};

use crate::domain::County;

/// Earth radius used for great-circle distances (km).
pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// Great-circle distance in km between two WGS84 points (haversine).
pub fn great_circle_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Distances between every pair of schools, by school position.
#[derive(Clone, Debug)]
pub struct Distances {
    km: Vec<Vec<Option<f64>>>,
    /// With roads.csv: whether a road path joins the two schools (`None`
    /// without roads.csv, where every pair is joined).
    joined: Option<Vec<Vec<bool>>>,
}

impl Distances {
    /// Computes the matrix for a county (roads.csv when given, else lat/lon).
    pub fn new(county: &County) -> Distances {
        if county.roads.is_empty() {
            Self::from_coordinates(county)
        } else {
            Self::from_roads(county)
        }
    }

    fn from_coordinates(county: &County) -> Distances {
        let factor = county.policy.movement.road_factor;
        let km = county
            .schools
            .iter()
            .map(|a| {
                county
                    .schools
                    .iter()
                    .map(|b| match (a.location, b.location) {
                        (Some(p), Some(q)) => Some(great_circle_km(p, q) * factor),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        Distances { km, joined: None }
    }

    fn from_roads(county: &County) -> Distances {
        let mut graph: UnGraph<(), f64> = UnGraph::new_undirected();
        let mut nodes: BTreeMap<&str, NodeIndex> = BTreeMap::new();
        for road in &county.roads {
            for name in [road.from.as_str(), road.to.as_str()] {
                if !nodes.contains_key(name) {
                    nodes.insert(name, graph.add_node(()));
                }
            }
            graph.add_edge(nodes[road.from.as_str()], nodes[road.to.as_str()], road.km);
        }
        let school_node: Vec<Option<NodeIndex>> = county
            .schools
            .iter()
            .map(|s| nodes.get(s.id.as_str()).or_else(|| nodes.get(s.town.as_str())).copied())
            .collect();
        // Two schools on one node (a town's schools, none named by its id)
        // are joined, but the roads do not say how far apart they are: their
        // distance is the great-circle one × road_factor when both have
        // coordinates, and unknown otherwise (never 0 km).
        let factor = county.policy.movement.road_factor;
        let n = school_node.len();
        let mut km = vec![vec![None; n]; n];
        let mut joined = vec![vec![false; n]; n];
        for (a, from) in school_node.iter().enumerate() {
            let Some(from) = from else { continue };
            let reach = dijkstra(&graph, *from, None, |e| *e.weight());
            for (b, to) in school_node.iter().enumerate() {
                let Some(to) = to else { continue };
                let Some(&length) = reach.get(to) else { continue };
                joined[a][b] = true;
                km[a][b] = if a == b {
                    Some(0.0)
                } else if from == to {
                    match (county.schools[a].location, county.schools[b].location) {
                        (Some(p), Some(q)) => Some(great_circle_km(p, q) * factor),
                        _ => None,
                    }
                } else {
                    Some(length)
                };
            }
        }
        Distances { km, joined: Some(joined) }
    }

    /// Whether a move between the two schools has a road path: always
    /// without roads.csv; with it, whether the road graph joins them.
    pub fn joined(&self, from: usize, to: usize) -> bool {
        match &self.joined {
            None => true,
            Some(joined) => joined.get(from).and_then(|row| row.get(to)).copied().unwrap_or(false),
        }
    }

    /// The distance between two schools, when known.
    pub fn km(&self, from: usize, to: usize) -> Option<f64> {
        self.km.get(from).and_then(|row| row.get(to)).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude() {
        let d = great_circle_km((36.0, 112.0), (37.0, 112.0));
        assert!((d - 111.19).abs() < 0.01, "{d}");
    }
}
