// orggov/graph.hpp — entity groups: connected components of evidenced relations.
//
// A group (rules.md glossary) is the set of entities connected through
// evidenced relations of any kind, transitively, in either direction. Each
// entity record carries its group id, so "are A and B in one group" is two
// lookups. Groups are maintained when relations change, never inside a check:
//
// - adding an evidenced edge between two groups relabels the smaller one,
//   found by walking both in rounds (cost: about twice the smaller one's size);
// - removing an evidenced edge (or its evidence) re-runs Boost.Graph's
//   `connected_components` on that one component only (cost: its size);
// - `rebuild_groups` runs it over the whole world, once, at load.
//
//   orggov::set_relation(w, "E1", "E2", orggov::relation_kind::control, true);
//   bool same = w.same_group("E1", "E2");   // true
#pragma once

#include <string>

#include "orggov/world.hpp"

namespace orggov {

/// Adds a new entity in a group of its own. Precondition: the id is free.
void add_entity(world& w, entity e);
/// Adds the edge, or updates its `evidenced` when it exists. Precondition: both entities exist.
void set_relation(world& w, const std::string& from, const std::string& to, relation_kind kind,
                  bool evidenced);
/// Removes the edge; a missing edge is a no-op.
void remove_relation(world& w, const std::string& from, const std::string& to, relation_kind kind);
/// Recomputes every group from scratch (Boost.Graph connected components).
void rebuild_groups(world& w);

}  // namespace orggov
