#include "orggov/graph.hpp"

#include <algorithm>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

namespace orggov {
namespace {

using undirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

bool edge_less(const relation_edge& a, const relation_edge& b) {
  return std::tie(a.other, a.kind, a.outgoing) < std::tie(b.other, b.kind, b.outgoing);
}

bool has_evidenced_edge_to(const entity& e, std::string_view other) {
  return std::any_of(e.edges.begin(), e.edges.end(),
                     [&](const relation_edge& r) { return r.evidenced && r.other == other; });
}

// Runs connected_components over the given entities (ids) using only evidenced
// edges among them, and returns the component index of each, in order.
std::vector<int> components(const world& w, const std::vector<std::string>& ids) {
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) index.emplace(ids[i], i);
  undirected g(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const entity* e = w.find_entity(ids[i]);
    for (const auto& r : e->edges) {
      if (!r.evidenced || !r.outgoing) continue;  // each edge once, from its `from` side
      auto it = index.find(r.other);
      if (it != index.end()) boost::add_edge(i, it->second, g);
    }
  }
  std::vector<int> comp(ids.size());
  if (!ids.empty()) boost::connected_components(g, comp.data());
  return comp;
}

// The entities reachable from `start` over evidenced edges.
void reach(const world& w, const std::string& start, std::unordered_set<std::string>& seen,
           std::vector<std::string>& out) {
  if (!seen.insert(start).second) return;
  std::deque<std::string> todo{start};
  out.push_back(start);
  while (!todo.empty()) {
    const entity* e = w.find_entity(todo.front());
    todo.pop_front();
    for (const auto& r : e->edges)
      if (r.evidenced && seen.insert(r.other).second) {
        out.push_back(r.other);
        todo.push_back(r.other);
      }
  }
}

// `es`: the records the merge walk visited (no write happened since; putting
// one record back leaves the others' pointers valid).
void relabel(world& w, const std::vector<const entity*>& es, std::uint64_t group) {
  for (const entity* e : es) __builtin_prefetch(e->name.data(), 0, 3);  // copied below, cold
  for (const entity* cur : es) {
    entity e = *cur;
    e.group = group;
    w.put_entity(std::move(e));
  }
}

// After an evidenced edge between a and b disappeared: split their component
// if it fell apart. Cost: the component's size.
void split(world& w, const std::string& a, const std::string& b) {
  const std::uint64_t old = w.find_entity(a)->group;
  std::unordered_set<std::string> seen;
  std::vector<std::string> ids;
  reach(w, a, seen, ids);
  if (seen.count(b)) return;  // still connected through another path
  reach(w, b, seen, ids);
  std::vector<int> comp = components(w, ids);
  int ncomp = comp.empty() ? 0 : *std::max_element(comp.begin(), comp.end()) + 1;
  // Component of `a` (index 0) keeps the old id; each other gets a new one.
  std::vector<std::uint64_t> ids_for(static_cast<std::size_t>(ncomp), 0);
  ids_for[static_cast<std::size_t>(comp[0])] = old;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto c = static_cast<std::size_t>(comp[i]);
    if (ids_for[c] == 0) ids_for[c] = w.next_group_id();
    if (ids_for[c] != old) {
      entity e = *w.find_entity(ids[i]);
      e.group = ids_for[c];
      w.put_entity(std::move(e));
    }
  }
}

// One side of a merge: a breadth-first walk of a group over evidenced edges
// that never crosses to `other` (the new edge's far end; before the edge the
// two groups were apart, so every evidenced edge between them is a new one).
class group_walk {
 public:
  group_walk(const std::string& start, const std::string& other) : start_(start), other_(other) {
    seen_.insert(start);
    todo_.push_back(start);
  }
  [[nodiscard]] bool done() const { return next_ == todo_.size(); }
  /// Entities found so far (the group's size once done()).
  [[nodiscard]] std::size_t found() const { return todo_.size(); }
  /// Appends the next (at most `k`) entities to visit; returns how many.
  std::size_t take(std::size_t k, std::vector<std::string_view>& ids) {
    const std::size_t m = std::min(k, todo_.size() - next_);
    for (std::size_t i = 0; i < m; ++i) ids.emplace_back(todo_[next_ + i]);  // deque: stable
    next_ += m;
    return m;
  }
  void visit(std::string_view id, const entity& e) {
    visited_.push_back(&e);
    const bool at_start = id == start_;
    for (const auto& r : e.edges)
      if (r.evidenced && !(at_start && r.other == other_) && seen_.insert(r.other).second)
        todo_.push_back(r.other);
  }
  /// The records visited, in order (the whole group once done()).
  [[nodiscard]] const std::vector<const entity*>& visited() const { return visited_; }

 private:
  const std::string& start_;
  const std::string& other_;
  std::unordered_set<std::string> seen_;
  std::deque<std::string> todo_;
  std::vector<const entity*> visited_;
  std::size_t next_ = 0;
};

// After an evidenced edge joined a's group and b's: relabel the smaller one
// (small-to-large: each entity moves O(log n) times). Both groups are walked
// in turn, a few entities of each per round, their lookups batched so
// that the cache misses overlap (world::find_entities); once one is done, the
// other goes on until it is done too or has found more entities. Cost: about
// twice the smaller group's size, with no group sizes to keep.
void merge(world& w, const std::string& a, const std::string& b) {
  const std::uint64_t ga = w.find_entity(a)->group, gb = w.find_entity(b)->group;
  if (ga == gb) return;
  constexpr std::size_t per_round = 8;
  group_walk wa(a, b), wb(b, a);
  std::vector<std::string_view> ids;
  std::vector<const entity*> es;
  auto round = [&](group_walk* x, group_walk* y) {
    ids.clear();
    const std::size_t nx = x->take(per_round, ids);
    if (y) y->take(per_round, ids);
    es.resize(ids.size());
    w.find_entities(ids.data(), ids.size(), es.data());
    for (const entity* e : es) __builtin_prefetch(e->edges.data(), 0, 3);
    for (std::size_t i = 0; i < ids.size(); ++i) (i < nx ? x : y)->visit(ids[i], *es[i]);
  };
  while (!wa.done() && !wb.done()) round(&wa, &wb);
  while (!wa.done() && wa.found() <= wb.found()) round(&wa, nullptr);
  while (!wb.done() && wb.found() <= wa.found()) round(&wb, nullptr);
  // Equal sizes: b's group is relabelled.
  const bool a_smaller = wa.done() && (!wb.done() || wa.found() < wb.found());
  relabel(w, a_smaller ? wa.visited() : wb.visited(), a_smaller ? gb : ga);
}

}  // namespace

void add_entity(world& w, entity e) {
  e.group = w.next_group_id();
  std::sort(e.edges.begin(), e.edges.end(), edge_less);
  w.put_entity(std::move(e));
}

namespace {
// Sets or erases the edge on one side; returns whether it was evidenced before.
bool put_edge(world& w, const std::string& self, relation_edge edge, bool erase) {
  entity e = *w.find_entity(self);
  bool was = false;
  auto it = std::find_if(e.edges.begin(), e.edges.end(), [&](const relation_edge& r) {
    return r.other == edge.other && r.kind == edge.kind && r.outgoing == edge.outgoing;
  });
  if (it != e.edges.end()) {
    was = it->evidenced;
    if (erase)
      e.edges.erase(it);
    else
      *it = edge;
  } else if (!erase) {
    e.edges.insert(std::upper_bound(e.edges.begin(), e.edges.end(), edge, edge_less), edge);
  }
  w.put_entity(std::move(e));
  return was;
}
}  // namespace

void set_relation(world& w, const std::string& from, const std::string& to, relation_kind kind,
                  bool evidenced) {
  bool was = put_edge(w, from, {to, kind, true, evidenced}, false);
  if (from != to) put_edge(w, to, {from, kind, false, evidenced}, false);
  if (from == to || was == evidenced) return;
  if (evidenced)
    merge(w, from, to);
  else if (!has_evidenced_edge_to(*w.find_entity(from), to))
    split(w, from, to);
}

void remove_relation(world& w, const std::string& from, const std::string& to, relation_kind kind) {
  const entity* f = w.find_entity(from);
  bool exists = std::any_of(f->edges.begin(), f->edges.end(), [&](const relation_edge& r) {
    return r.other == to && r.kind == kind && r.outgoing;
  });
  if (!exists) return;
  bool was = put_edge(w, from, {to, kind, true, false}, true);
  if (from != to) put_edge(w, to, {from, kind, false, false}, true);
  if (from != to && was && !has_evidenced_edge_to(*w.find_entity(from), to)) split(w, from, to);
}

void rebuild_groups(world& w) {
  std::vector<std::string> ids;
  ids.reserve(w.entities().size());
  for (const auto& [id, e] : w.entities()) ids.push_back(id);
  std::sort(ids.begin(), ids.end());  // deterministic group ids
  std::vector<int> comp = components(w, ids);
  int ncomp = comp.empty() ? 0 : *std::max_element(comp.begin(), comp.end()) + 1;
  std::vector<std::uint64_t> gid(static_cast<std::size_t>(ncomp));
  for (auto& g : gid) g = w.next_group_id();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto c = static_cast<std::size_t>(comp[i]);
    entity e = *w.find_entity(ids[i]);
    if (e.group != gid[c]) {
      e.group = gid[c];
      w.put_entity(std::move(e));
    }
  }
}

}  // namespace orggov
