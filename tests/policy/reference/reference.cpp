// The reference evaluator: see reference.hpp. Written for clarity, not speed,
// and deliberately independent of src/policy.
#include "reference.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <tuple>

namespace orggov::policy::reference {

namespace json = boost::json;

namespace {

char low(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool glob_at(const std::string& p, std::size_t i, const std::string& s, std::size_t j, bool fold) {
  if (i == p.size()) return j == s.size();
  if (p[i] == '*')
    return glob_at(p, i + 1, s, j, fold) || (j < s.size() && glob_at(p, i, s, j + 1, fold));
  if (j == s.size()) return false;
  const bool same = p[i] == '?' || (fold ? low(p[i]) == low(s[j]) : p[i] == s[j]);
  return same && glob_at(p, i + 1, s, j + 1, fold);
}

std::vector<std::string> split_resource(const std::string& r) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : r) {
    if (c == ':' && out.size() < 5) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

std::vector<json::value> as_list(const json::value& v) {
  if (v.is_array()) return {v.as_array().begin(), v.as_array().end()};
  return {v};
}

std::string strip_legacy(std::string a) {
  if (a.rfind("name/", 0) == 0) a = a.substr(5);
  return a;
}

bool action_match(const std::string& pattern_in, const std::string& action_in) {
  const std::string pattern = strip_legacy(pattern_in), action = strip_legacy(action_in);
  if (pattern == "*") return true;
  const auto pc = pattern.find(':'), ac = action.find(':');
  return glob(pattern.substr(0, pc), action.substr(0, ac), true) &&
         glob(pattern.substr(pc + 1), action.substr(ac + 1), true);
}

bool resource_match(const std::string& pattern, const request& rq) {
  if (pattern == "*") return true;
  if (rq.resource == "*") return false;
  const auto p = split_resource(pattern), r = split_resource(rq.resource);
  if (!p[2].empty() && !glob(p[2], r[2], false)) return false;
  if (!p[3].empty() && !glob(p[3], r[3], false)) return false;
  const std::string self = "uin/" + rq.account;
  const std::string req_account = r[4].empty() ? self : r[4];
  if (p[4].empty()) {
    if (req_account != self) return false;
  } else if (!glob(p[4], req_account, false)) {
    return false;
  }
  return glob(p[5], r[5], false);
}

// ----------------------------------------------------------- scalar text

std::string text_of(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  return json::serialize(v);  // doubles: Boost.JSON's shortest form
}

// ----------------------------------------------------------- numbers

// A number as (negative, integer digits, fraction digits), no redundant zeros.
struct number {
  bool neg;
  std::string whole, frac;
};

std::optional<number> to_number(const std::string& s) {
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  std::string mant;
  long point = -1;
  std::size_t digits_before = 0, digits_after = 0;
  while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) {
    mant += s[i++];
    ++digits_before;
  }
  if (digits_before == 0) return std::nullopt;
  point = static_cast<long>(mant.size());
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) {
      mant += s[i++];
      ++digits_after;
    }
    if (digits_after == 0) return std::nullopt;
  }
  long e = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
    std::size_t n = 0;
    while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) {
      e = e * 10 + (s[i++] - '0');
      ++n;
      if (e > 1000) return std::nullopt;  // the tests never go near this
    }
    if (n == 0) return std::nullopt;
    if (eneg) e = -e;
  }
  if (i != s.size()) return std::nullopt;
  point += e;
  // Place the point: pad with zeros on either side as needed.
  while (point < 0) {
    mant.insert(mant.begin(), '0');
    ++point;
  }
  while (point > static_cast<long>(mant.size())) mant.push_back('0');
  std::string whole = mant.substr(0, static_cast<std::size_t>(point));
  std::string frac = mant.substr(static_cast<std::size_t>(point));
  while (!whole.empty() && whole.front() == '0') whole.erase(whole.begin());
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (whole.empty() && frac.empty()) neg = false;
  return number{neg, whole, frac};
}

int compare_numbers(const number& a, const number& b) {
  auto magnitude = [](const number& x, const number& y) {
    if (x.whole.size() != y.whole.size()) return x.whole.size() < y.whole.size() ? -1 : 1;
    if (x.whole != y.whole) return x.whole < y.whole ? -1 : 1;
    std::string fx = x.frac, fy = y.frac;
    const std::size_t n = std::max(fx.size(), fy.size());
    fx.resize(n, '0');
    fy.resize(n, '0');
    if (fx != fy) return fx < fy ? -1 : 1;
    return 0;
  };
  if (a.neg != b.neg) return a.neg ? -1 : 1;
  const int m = magnitude(a, b);
  return a.neg ? -m : m;
}

// ----------------------------------------------------------- dates

using date = std::tuple<int, int, int, int, int, int, std::string>;

std::optional<date> to_date(const std::string& s) {
  auto num = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    if (pos + len > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t k = pos; k < pos + len; ++k) {
      if (!isdigit(static_cast<unsigned char>(s[k]))) return std::nullopt;
      v = v * 10 + (s[k] - '0');
    }
    return v;
  };
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2);
  if (!y || !mo || !d || s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
  const int mdays[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > mdays[*mo - 1]) return std::nullopt;
  if (s.size() == 10) return date{*y, *mo, *d, 0, 0, 0, "000000"};
  if (s[10] != 'T' && s[10] != 't') return std::nullopt;
  auto h = num(11, 2), mi = num(14, 2), se = num(17, 2);
  if (!h || !mi || !se || s.size() < 20 || s[13] != ':' || s[16] != ':') return std::nullopt;
  if (*h > 23 || *mi > 59 || *se > 59) return std::nullopt;
  std::string frac;
  std::size_t pos = 19;
  if (s[pos] == '.') {
    ++pos;
    while (pos < s.size() && isdigit(static_cast<unsigned char>(s[pos]))) frac += s[pos++];
    if (frac.empty()) return std::nullopt;
  }
  if (pos != s.size() - 1 || (s[pos] != 'Z' && s[pos] != 'z')) return std::nullopt;
  frac.resize(6, '0');  // microseconds: pad, or truncate beyond
  return date{*y, *mo, *d, *h, *mi, *se, frac};
}

// ----------------------------------------------------------- ip

std::optional<std::vector<int>> to_v4(const std::string& s) {
  std::vector<int> out;
  std::string cur;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      if (cur.empty() || cur.size() > 3 || (cur.size() > 1 && cur[0] == '0')) return std::nullopt;
      const int v = std::stoi(cur);
      if (v > 255) return std::nullopt;
      out.push_back(v);
      cur.clear();
    } else if (isdigit(static_cast<unsigned char>(s[i]))) {
      cur += s[i];
    } else {
      return std::nullopt;
    }
  }
  if (out.size() != 4) return std::nullopt;
  return out;
}

// 16 bytes; IPv4 as ::ffff:a.b.c.d
std::optional<std::vector<int>> to_ip(const std::string& s) {
  if (s.find(':') == std::string::npos) {
    auto v4 = to_v4(s);
    if (!v4) return std::nullopt;
    std::vector<int> out(10, 0);
    out.push_back(255);
    out.push_back(255);
    out.insert(out.end(), v4->begin(), v4->end());
    return out;
  }
  // Split on "::" first.
  const auto dbl = s.find("::");
  if (dbl != std::string::npos && s.find("::", dbl + 1) != std::string::npos) return std::nullopt;
  auto groups_of = [](const std::string& part, bool last) -> std::optional<std::vector<int>> {
    std::vector<int> bytes;
    if (part.empty()) return bytes;
    std::vector<std::string> pieces;
    std::string cur;
    for (char c : part) {
      if (c == ':') {
        pieces.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    pieces.push_back(cur);
    for (std::size_t k = 0; k < pieces.size(); ++k) {
      const std::string& p = pieces[k];
      if (last && k + 1 == pieces.size() && p.find('.') != std::string::npos) {
        auto v4 = to_v4(p);
        if (!v4) return std::nullopt;
        bytes.insert(bytes.end(), v4->begin(), v4->end());
        continue;
      }
      if (p.empty() || p.size() > 4) return std::nullopt;
      for (char c : p)
        if (!isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
      const int v = std::stoi(p, nullptr, 16);
      bytes.push_back(v >> 8);
      bytes.push_back(v & 255);
    }
    return bytes;
  };
  if (dbl == std::string::npos) {
    auto b = groups_of(s, true);
    if (!b || b->size() != 16) return std::nullopt;
    return b;
  }
  auto head = groups_of(s.substr(0, dbl), false);
  auto tail = groups_of(s.substr(dbl + 2), true);
  if (!head || !tail || head->size() + tail->size() > 14) return std::nullopt;
  std::vector<int> out = *head;
  out.resize(16 - tail->size(), 0);
  out.insert(out.end(), tail->begin(), tail->end());
  return out;
}

bool in_network(const std::string& net, const std::vector<int>& addr) {
  const auto slash = net.find('/');
  const std::string a = net.substr(0, slash);
  auto base = to_ip(a);
  if (!base) return false;
  const bool v4 = a.find(':') == std::string::npos;
  int bits = v4 ? 32 : 128;
  if (slash != std::string::npos) bits = std::stoi(net.substr(slash + 1));
  if (v4) bits += 96;
  for (int b = 0; b < bits; ++b) {
    const int byte = b / 8, bit = 7 - b % 8;
    if (((addr[byte] >> bit) & 1) != (((*base)[byte] >> bit) & 1)) return false;
  }
  return true;
}

// ----------------------------------------------------------- base64

std::optional<std::string> unbase64(std::string s) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::size_t pad = 0;
  while (!s.empty() && s.back() == '=' && pad < 2) {
    s.pop_back();
    ++pad;
  }
  if (pad && (s.size() + pad) % 4 != 0) return std::nullopt;
  if (s.size() % 4 == 1) return std::nullopt;
  std::string bits;
  for (char c : s) {
    const auto k = alphabet.find(c);
    if (k == std::string::npos) return std::nullopt;
    for (int b = 5; b >= 0; --b) bits += ((k >> b) & 1) ? '1' : '0';
  }
  std::string out;
  for (std::size_t i = 0; i + 8 <= bits.size(); i += 8)
    out += static_cast<char>(std::stoi(bits.substr(i, 8), nullptr, 2));
  return out;
}

// ----------------------------------------------------------- conditions

struct op_name {
  std::string base;
  bool if_exist = false;
  std::string set;  // "", "any", "all"
};

op_name split_op(std::string n) {
  op_name o;
  if (n.rfind("for_any_value:", 0) == 0) {
    o.set = "any";
    n = n.substr(14);
  } else if (n.rfind("for_all_value:", 0) == 0) {
    o.set = "all";
    n = n.substr(14);
  }
  const std::string sfx = "_if_exist";
  if (n.size() > sfx.size() && n.compare(n.size() - sfx.size(), sfx.size(), sfx) == 0) {
    o.if_exist = true;
    n = n.substr(0, n.size() - sfx.size());
  }
  o.base = n;
  return o;
}

bool is_negated(const std::string& base) {
  return base.find("_not_") != std::string::npos;
}

// The positive comparison of a context value with one listed value.
bool positive(const std::string& base, const json::value& ctx, const json::value& listed) {
  const std::string c = text_of(ctx), l = text_of(listed);
  std::string family = base.substr(0, base.find('_'));
  std::string test = base.substr(base.find('_') + 1);
  if (test.rfind("not_", 0) == 0) test = test.substr(4);
  if (family == "string") {
    if (test == "equal") return c == l;
    if (test == "equal_ignore_case") {
      std::string a = c, b = l;
      for (auto& ch : a) ch = low(ch);
      for (auto& ch : b) ch = low(ch);
      return a == b;
    }
    if (test == "like") return glob(l, c, false);
  }
  auto order = [&](int cmp) {
    if (test == "equal") return cmp == 0;
    if (test == "less_than") return cmp < 0;
    if (test == "less_than_equal") return cmp <= 0;
    if (test == "greater_than") return cmp > 0;
    if (test == "greater_than_equal") return cmp >= 0;
    return false;
  };
  if (family == "numeric") {
    if (ctx.is_bool()) return false;
    auto a = to_number(c), b = to_number(l);
    return a && b && order(compare_numbers(*a, *b));
  }
  if (family == "date") {
    if (!ctx.is_string()) return false;
    auto a = to_date(c), b = to_date(l);
    if (!a || !b) return false;
    return order(*a < *b ? -1 : (*b < *a ? 1 : 0));
  }
  if (family == "bool") {
    if (!(c == "true" || c == "false") || ctx.is_number()) return false;
    return c == l;
  }
  if (family == "binary") {
    if (!ctx.is_string()) return false;
    auto a = unbase64(c), b = unbase64(l);
    return a && b && *a == *b;
  }
  if (family == "ip") {
    auto a = to_ip(c);
    return a && in_network(l, *a);
  }
  return false;
}

bool key_holds(const op_name& op, const std::vector<json::value>& ctx,
               const std::vector<json::value>& listed, bool present) {
  if (op.base == "null_equal") {
    bool empty = true;
    for (const auto& v : ctx)
      if (text_of(v) != "") empty = false;
    for (const auto& l : listed)
      if ((text_of(l) == "true") == empty) return true;
    return false;
  }
  if (!present) {
    if (op.if_exist) return true;
    if (op.set == "all") return true;
    if (op.set == "any") return false;
    return is_negated(op.base);
  }
  auto value_ok = [&](const json::value& v) {
    bool any = false;
    for (const auto& l : listed) any = any || positive(op.base, v, l);
    return is_negated(op.base) ? !any : any;
  };
  if (op.set == "all") return std::all_of(ctx.begin(), ctx.end(), value_ok);
  return std::any_of(ctx.begin(), ctx.end(), value_ok);
}

std::vector<json::value> context_values(const request& rq, const std::string& key) {
  std::vector<json::value> values;
  if (auto it = rq.context.find(key); it != rq.context.end()) values = as_list(it->value());
  // A key with no values is absent; qcs:current_time then defaults to now.
  if (values.empty() && key == "qcs:current_time") values.push_back(json::value(rq.now));
  return values;
}

}  // namespace

bool glob(const std::string& pattern, const std::string& subject, bool fold) {
  return glob_at(pattern, 0, subject, 0, fold);
}

result decide(const std::vector<level>& levels, const request& rq) {
  result out;
  bool decided = false;
  for (const auto& lv : levels) {
    bool any_deny = false, any_allow = false;
    for (const auto& p : lv.policies) {
      const json::value& st = p.doc.as_object().at("statement");
      const std::vector<json::value> statements = as_list(st);
      for (std::size_t i = 0; i < statements.size(); ++i) {
        const json::object& s = statements[i].as_object();
        bool act = false, res = false;
        for (const auto& a : as_list(s.at("action")))
          act = act || action_match(text_of(a), rq.action);
        for (const auto& r : as_list(s.at("resource"))) res = res || resource_match(text_of(r), rq);
        if (!act || !res) continue;
        bool ok = true;
        if (auto c = s.find("condition"); c != s.end()) {
          for (const auto& opkv : c->value().as_object()) {
            const op_name op = split_op(std::string(opkv.key()));
            for (const auto& kv : opkv.value().as_object()) {
              const std::string key(kv.key());
              const auto ctx = context_values(rq, key);
              const bool present = !ctx.empty();
              if (!present && !op.if_exist && op.base != "null_equal" && op.set != "all" &&
                  std::find(out.missing_context.begin(), out.missing_context.end(), key) ==
                      out.missing_context.end())
                out.missing_context.push_back(key);
              if (!key_holds(op, ctx, as_list(kv.value()), present)) ok = false;
            }
          }
        }
        if (!ok) continue;
        out.matched_statements.push_back({p.id, i, lv.target});
        if (s.at("effect").as_string() == "deny")
          any_deny = true;
        else
          any_allow = true;
      }
    }
    if (!any_allow) out.missing_allow_at.push_back(lv.target);
    if (!decided && any_deny) {
      decided = true;
      out.reason = "explicit_deny";
    } else if (!decided && !any_allow) {
      decided = true;
      out.reason = "no_allow";
    }
  }
  if (!decided) {
    out.allow = !levels.empty();
    out.reason = levels.empty() ? "no_allow" : "allowed";
  }
  return out;
}

}  // namespace orggov::policy::reference
