// The binary forms of the link step's cached records (records::Writer/Reader): module summaries
// (a helper's summary is cached per blob, and one name's symbol, so written and hashed, is its
// fingerprint) and a test module's link sites (link_sites.h). Both sides list every field of
// the types (summary.h, MarkCall, LinkSite): a field added there is added here, and the
// format bumped.
#include "base/fnv1a.h"
#include "grabber/python/link_sites.h"
#include "grabber/python/summary.h"
#include "grabber/scan_records.h"

namespace flakegrab::extractor {
namespace {

using records::Corrupt;
using records::Reader;
using records::Writer;

constexpr char kSummaryFormat = '\x05';
constexpr std::uint64_t kSitesFormat = 1;

class Out {
 public:
  void num(std::uint64_t n) { w_.number(n); }
  void str(const std::string& s) { w_.string(s); }
  void opt(const std::optional<std::string>& s) { w_.optional(s); }
  void strs(const std::vector<std::string>& v) { w_.strings(v); }
  template <class T>
  void list(const std::vector<T>& v) {
    num(v.size());
    for (const auto& x : v) put(x);
  }
  void args(const std::map<std::string, Arg>& m) {
    num(m.size());
    for (const auto& [k, a] : m) str(k), put(a);
  }

  void put(const Arg& a) { str(a.key), str(a.text), opt(a.str); }
  void put(const MarkExpr& e) {
    str(e.callee), num(e.called), list(e.args), num(static_cast<std::uint64_t>(e.line));
    opt(e.guard), num(static_cast<std::uint64_t>(e.element + 1));
  }
  void put(const ValueId& v) { num(v.kind), str(v.text), num(v.none); }
  void put(const ParamItem& i) {  // marks_node lives with the using module's parse
    str(i.list), num(i.known), num(i.many), num(i.shape), put(i.whole), list(i.values);
    num(i.has_id), opt(i.id), list(i.marks), list(i.carried);
  }
  void put(const RuntimeSkip& s) {
    str(s.name), list(s.args), num(static_cast<std::uint64_t>(s.line)), opt(s.guard);
  }
  void put(const FunctionSummary& f) {
    strs(f.params), args(f.defaults), args(f.locals), list(f.returns), list(f.applies);
  }
  void put(const MemberSummary& m) {
    str(m.name), num(static_cast<std::uint64_t>(m.line)), num(m.function), num(m.fixture);
    list(m.decorators), strs(m.requests), list(m.param_items), list(m.skips), num(m.calls_super);
  }
  void put(const ClassSummary& c) {
    str(c.name), strs(c.bases), list(c.decorators), list(c.pytestmark), list(c.members);
    num(c.has_init), num(c.dunder_test ? 1 + *c.dunder_test : 0), num(c.fixtures.size());
    for (const auto& [name, f] : c.fixtures) str(name), put(f);
    list(c.nested);
  }
  void put(const Symbol& s) {
    num(s.kind), str(s.qualified), list(s.marks), list(s.params), put(s.fn), put(s.def), put(s.cls);
    num(static_cast<std::uint64_t>(s.line));
  }
  void put(const FixtureSummary& f) {
    num(static_cast<std::uint64_t>(f.line)), strs(f.requests), list(f.param_marks), list(f.skips);
    list(f.applied), num(f.autouse), num(f.parametrized);
  }
  void put(const MarkCall& k) {  // its LinkTag is the site's, kept apart
    str(k.name), num(k.is_mark), list(k.args), num(static_cast<std::uint64_t>(k.line));
    opt(k.origin), opt(k.factory), num(k.factory_args.size());
    for (const auto& [key, v] : k.factory_args) str(key), str(v);
    num(k.resolved), num(k.kind ? 1 + static_cast<std::uint64_t>(*k.kind) : 0), opt(k.guard);
  }
  void put(const LinkSite& s) {
    num(s.kind), str(s.callee), num(s.called), list(s.args),
        num(static_cast<std::uint64_t>(s.line));
    num(static_cast<std::uint64_t>(s.element + 1)), str(s.from);
    num(static_cast<std::uint64_t>(s.line_at)), list(s.calls), strs(s.deps);
  }
  std::string& bytes() { return w_.bytes(); }

 private:
  Writer w_;
};

class In {
 public:
  explicit In(std::string_view bytes) : r_(bytes), limit_(bytes.size()) {}
  std::uint64_t num() { return r_.number(); }
  std::uint64_t count() {  // each item takes a byte at least
    std::uint64_t n = r_.number();
    if (n > limit_) throw Corrupt("summary: a count past the record's end");
    return n;
  }
  std::uint64_t below(std::uint64_t end) {
    std::uint64_t n = r_.number();
    if (n >= end) throw Corrupt("summary: a value out of range");
    return n;
  }
  int line() { return static_cast<int>(below(1u << 31)); }
  bool flag() { return below(2) != 0; }
  std::string str() { return r_.string(); }
  std::optional<std::string> opt() { return r_.optional(); }
  std::vector<std::string> strs() { return r_.strings(); }
  bool done() const { return r_.done(); }
  template <class T>
  std::vector<T> list() {
    std::vector<T> v(count());
    for (auto& x : v) get(x);
    return v;
  }
  std::map<std::string, Arg> args() {
    std::map<std::string, Arg> m;
    for (std::uint64_t n = count(); n > 0; --n) {
      std::string k = str();
      get(m[k]);
    }
    return m;
  }

  void get(Arg& a) { a.key = str(), a.text = str(), a.str = opt(); }
  void get(MarkExpr& e) {
    e.callee = str(), e.called = flag(), e.args = list<Arg>(), e.line = line();
    e.guard = opt(), e.element = line() - 1;
  }
  void get(ValueId& v) {
    v.kind = static_cast<ValueId::Kind>(below(3)), v.text = str(), v.none = flag();
  }
  void get(ParamItem& i) {
    i.list = str(), i.known = flag(), i.many = flag();
    i.shape = static_cast<ParamItem::Shape>(below(3));
    get(i.whole), i.values = list<ValueId>(), i.has_id = flag(), i.id = opt();
    i.marks = list<MarkExpr>(), i.carried = list<MarkExpr>();
  }
  void get(RuntimeSkip& s) {
    s.name = str(), s.args = list<Arg>(), s.line = line(), s.guard = opt();
  }
  void get(FunctionSummary& f) {
    f.params = strs(), f.defaults = args(), f.locals = args();
    f.returns = list<MarkExpr>(), f.applies = list<MarkExpr>();
  }
  void get(MemberSummary& m) {
    m.name = str(), m.line = line(), m.function = flag(), m.fixture = flag();
    m.decorators = list<MarkExpr>(), m.requests = strs(), m.param_items = list<ParamItem>();
    m.skips = list<RuntimeSkip>(), m.calls_super = flag();
  }
  void get(ClassSummary& c) {
    c.name = str(), c.bases = strs(), c.decorators = list<MarkExpr>();
    c.pytestmark = list<MarkExpr>(), c.members = list<MemberSummary>(), c.has_init = flag();
    std::uint64_t t = below(3);
    c.dunder_test = t == 0 ? std::nullopt : std::optional<bool>(t == 2);
    for (std::uint64_t n = count(); n > 0; --n) {
      std::string name = str();
      get(c.fixtures[name]);
    }
    // Nested classes nest as deep as summarize_class reads them: no deeper record is ours.
    if (++class_depth_ > 9) throw Corrupt("summary: classes nested too deep");
    c.nested = list<ClassSummary>();
    --class_depth_;
  }
  void get(Symbol& s) {
    s.kind = static_cast<Symbol::Kind>(below(Symbol::other + 1)), s.qualified = str();
    s.marks = list<MarkExpr>(), s.params = list<ParamItem>();
    get(s.fn), get(s.def), get(s.cls), s.line = line();
  }
  void get(FixtureSummary& f) {
    f.line = line(), f.requests = strs(), f.param_marks = list<MarkExpr>();
    f.skips = list<RuntimeSkip>(), f.applied = list<MarkExpr>(), f.autouse = flag();
    f.parametrized = flag();
  }
  void get(MarkCall& k) {
    k.name = str(), k.is_mark = flag(), k.args = list<Arg>(), k.line = line();
    k.origin = opt(), k.factory = opt();
    for (std::uint64_t n = count(); n > 0; --n) {
      std::string key = str();
      k.factory_args.emplace_back(std::move(key), str());
    }
    k.resolved = flag();
    if (std::uint64_t kind = below(6)) k.kind = static_cast<MarkerKind>(kind - 1);
    k.guard = opt();
  }
  void get(LinkSite& s) {
    s.kind = static_cast<LinkSite::Kind>(below(3));
    s.callee = str(), s.called = flag(), s.args = list<Arg>(), s.line = line();
    s.element = line() - 1, s.from = str(), s.line_at = line();
    s.calls = list<MarkCall>(), s.deps = strs();
  }

 private:
  Reader r_;
  std::uint64_t limit_;
  int class_depth_ = 0;
};

}  // namespace

std::string symbol_fingerprint(const ModuleSummary& module, const std::string& name) {
  Out out;
  auto it = module.symbols.find(name);
  // Absent: the link step looks the name up through the module's star imports, each of which
  // it depends on by its own names.
  if (it == module.symbols.end()) {
    out.strs(module.star_imports);
    return "absent:" + hex64(fnv1a64(out.bytes()));
  }
  out.put(it->second);
  return "symbol:" + hex64(fnv1a64(out.bytes()));
}

std::string encode_summary(const ModuleSummary& s) {
  Out out;
  out.bytes().push_back(kSummaryFormat);
  out.str(s.path), out.str(s.module), out.num(s.symbols.size());
  for (const auto& [name, sym] : s.symbols) out.str(name), out.put(sym);
  out.strs(s.star_imports), out.num(s.fixtures.size());
  for (const auto& [name, f] : s.fixtures) out.str(name), out.put(f);
  return std::move(out.bytes());
}

std::optional<ModuleSummary> decode_summary(std::string_view bytes) {
  if (bytes.empty() || bytes[0] != kSummaryFormat) return std::nullopt;  // another format
  try {
    In in(bytes.substr(1));
    ModuleSummary s;
    s.path = in.str(), s.module = in.str();
    for (std::uint64_t n = in.count(); n > 0; --n) {
      std::string name = in.str();
      in.get(s.symbols[name]);
    }
    s.star_imports = in.strs();
    for (std::uint64_t n = in.count(); n > 0; --n) {
      std::string name = in.str();
      in.get(s.fixtures[name]);
    }
    if (!in.done()) return std::nullopt;
    return s;
  } catch (const Corrupt&) {
    return std::nullopt;
  }
}

std::string encode_sites(const DecodedSites& sites) {
  if (sites.list.empty()) return {};
  Out out;
  out.num(kSitesFormat), out.list(sites.list), out.num(sites.tags.size());
  for (const auto& [i, tag] : sites.tags)
    out.num(i), out.num(static_cast<std::uint64_t>(tag.site)),
        out.num(static_cast<std::uint64_t>(tag.item));
  return std::move(out.bytes());
}

std::optional<DecodedSites> decode_sites(std::string_view bytes) {
  if (bytes.empty()) return DecodedSites{};
  try {
    In in(bytes);
    if (in.below(kSitesFormat + 1) != kSitesFormat) return std::nullopt;
    DecodedSites d;
    d.list = in.list<LinkSite>();
    for (std::uint64_t n = in.count(); n > 0; --n) {
      const auto i = static_cast<std::size_t>(in.line());  // a marker's index
      const int site = static_cast<int>(in.below(d.list.size()));
      const int item = static_cast<int>(in.below(d.list[static_cast<size_t>(site)].calls.size()));
      d.tags.emplace_back(i, LinkTag{site, item});
    }
    if (!in.done()) return std::nullopt;
    return d;
  } catch (const Corrupt&) {
    return std::nullopt;
  }
}

}  // namespace flakegrab::extractor
