// The linear glob matcher (src/policy/values.cpp) against the reference's
// recursive one on every small pattern shape, and against the plain
// backtracking matcher on long runs (more than 64 and 128 characters, which
// take several shift-and words).
#include <random>
#include <string>

#include <doctest/doctest.h>

#include "policy/internal.hpp"
#include "reference/reference.hpp"

namespace d = orggov::policy::detail;
namespace ref = orggov::policy::reference;

namespace {

std::string random_text(std::mt19937& rng, std::string_view alphabet, std::size_t max_len) {
  std::string s(rng() % (max_len + 1), ' ');
  for (char& c : s) c = alphabet[rng() % alphabet.size()];
  return s;
}

bool both_subject_forms(const d::glob& g, const std::string& s) {
  const bool whole = d::glob_match(g, std::string_view(s));
  const std::size_t cut = s.size() / 3;  // the same subject given in two pieces
  const bool split = d::glob_match(
      g, d::two_part{std::string_view(s).substr(0, cut), std::string_view(s).substr(cut)});
  CHECK(whole == split);
  return whole;
}

}  // namespace

TEST_CASE("glob matching agrees with the reference on small patterns") {
  std::mt19937 rng(20261126);
  std::size_t matched = 0;
  for (int i = 0; i < 60'000; ++i) {
    const std::string p = random_text(rng, "ab?*A", 9);
    const std::string s = random_text(rng, "abA", 12);
    const bool fold = rng() % 2;
    const d::glob g = d::make_glob(p, fold);
    const bool got = both_subject_forms(g, s);
    INFO("pattern `" << p << "` subject `" << s << "` fold " << fold);
    REQUIRE(got == ref::glob(p, s, fold));
    matched += got;
  }
  CHECK(matched > 1000);
}

TEST_CASE("glob matching of long runs agrees with the backtracking matcher") {
  std::mt19937 rng(7);
  std::size_t matched = 0;
  for (int i = 0; i < 3'000; ++i) {
    // Runs of 60-200 characters between stars, mostly `a` with a few `b` and
    // `?`, against subjects that contain them or nearly do.
    std::string p;
    const int runs = 1 + static_cast<int>(rng() % 3);
    if (rng() % 2) p += '*';
    for (int r = 0; r < runs; ++r) {
      std::string run(60 + rng() % 140, 'a');
      for (char& c : run)
        if (rng() % 40 == 0) c = rng() % 2 ? 'b' : '?';
      p += run;
      if (r + 1 < runs || rng() % 2) p += '*';
    }
    if (p.find('*') == std::string::npos) p += '*';
    std::string s;
    for (std::size_t k = 0; k < p.size(); ++k) {
      const char c = p[k] == '*' ? 'a' : p[k] == '?' ? 'b' : p[k];
      s += c;
      if (p[k] == '*') s += std::string(rng() % 30, rng() % 2 ? 'a' : 'b');
    }
    if (rng() % 2) s[rng() % s.size()] = 'c';  // a near miss
    const d::glob g = d::make_glob(p, false);
    const bool got = both_subject_forms(g, s);
    INFO("pattern `" << p << "` subject `" << s << "`");
    REQUIRE(got == d::wildcard_match(p, s, false));
    matched += got;
  }
  CHECK(matched > 100);
  CHECK(matched < 2'900);
}

TEST_CASE("glob runs longer than the stack state are still matched") {
  // A run over 96 × 64 bytes (only possible with raised policy limits) is
  // searched plainly.
  const std::string run(7'000, 'a');
  const d::glob g = d::make_glob("*" + run + "b*", false);
  CHECK(d::glob_match(g, std::string_view("x" + run + "bx")));
  CHECK_FALSE(d::glob_match(g, std::string_view("x" + run + "x")));
}
