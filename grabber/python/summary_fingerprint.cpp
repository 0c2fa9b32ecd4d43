// A fingerprint of what one name of a module's summary stands for: every field of the
// summary types below, length-prefixed, hashed. A test file's records that used a helper's
// name hold while that name's fingerprint does, whatever else of the helper changed.
// A field added to a summary type (summary.h) must be added here too.
#include "base/fnv1a.h"
#include "grabber/python/summary.h"

namespace flakegrab::extractor {
namespace {

class Fingerprint {
 public:
  Fingerprint& str(std::string_view s) {
    num(s.size());
    bytes_.append(s);
    return *this;
  }
  Fingerprint& num(std::uint64_t n) {
    bytes_.append(std::to_string(n)).push_back(';');
    return *this;
  }
  Fingerprint& opt(const std::optional<std::string>& s) {
    num(s.has_value());
    return s ? str(*s) : *this;
  }
  Fingerprint& strs(const std::vector<std::string>& v) {
    num(v.size());
    for (const auto& s : v) str(s);
    return *this;
  }
  Fingerprint& arg(const Arg& a) { return str(a.key).str(a.text).opt(a.str); }
  Fingerprint& args(const std::vector<Arg>& v) {
    num(v.size());
    for (const auto& a : v) arg(a);
    return *this;
  }
  Fingerprint& arg_map(const std::map<std::string, Arg>& m) {
    num(m.size());
    for (const auto& [k, a] : m) str(k).arg(a);
    return *this;
  }
  Fingerprint& expr(const MarkExpr& e) {
    return str(e.callee).num(e.called).args(e.args).num(e.line).opt(e.guard);
  }
  Fingerprint& exprs(const std::vector<MarkExpr>& v) {
    num(v.size());
    for (const auto& e : v) expr(e);
    return *this;
  }
  Fingerprint& value_id(const ValueId& v) { return num(v.kind).str(v.text).num(v.none); }
  Fingerprint& item(const ParamItem& i) {  // marks_node lives with the using module's parse
    str(i.list).num(i.known).num(i.many).num(i.shape).value_id(i.whole).num(i.values.size());
    for (const auto& v : i.values) value_id(v);
    return num(i.has_id).opt(i.id).exprs(i.marks);
  }
  Fingerprint& items(const std::vector<ParamItem>& v) {
    num(v.size());
    for (const auto& i : v) item(i);
    return *this;
  }
  Fingerprint& skips(const std::vector<RuntimeSkip>& v) {
    num(v.size());
    for (const auto& s : v) str(s.name).args(s.args).num(s.line).opt(s.guard);
    return *this;
  }
  Fingerprint& fn(const FunctionSummary& f) {
    return strs(f.params).arg_map(f.defaults).arg_map(f.locals).exprs(f.returns).exprs(f.applies);
  }
  Fingerprint& cls(const ClassSummary& c) {
    str(c.name).strs(c.bases).exprs(c.decorators).exprs(c.pytestmark).num(c.members.size());
    for (const auto& m : c.members)
      str(m.name)
          .num(m.line)
          .num(m.function)
          .num(m.fixture)
          .exprs(m.decorators)
          .strs(m.requests)
          .items(m.param_items)
          .skips(m.skips)
          .num(m.calls_super);
    num(c.has_init).num(c.dunder_test.has_value());
    return num(c.dunder_test.value_or(false));
  }
  Fingerprint& symbol(const Symbol& s) {
    return num(s.kind)
        .str(s.qualified)
        .exprs(s.marks)
        .items(s.params)
        .fn(s.fn)
        .cls(s.cls)
        .num(s.line);
  }
  std::string hex() const { return hex64(fnv1a64(bytes_)); }

 private:
  std::string bytes_;
};

}  // namespace

std::string symbol_fingerprint(const ModuleSummary& module, const std::string& name) {
  auto it = module.symbols.find(name);
  // Absent: the link step looks the name up through the module's star imports, each of which
  // it depends on by its own names.
  if (it == module.symbols.end()) return "absent:" + Fingerprint().strs(module.star_imports).hex();
  return "symbol:" + Fingerprint().symbol(it->second).hex();
}

}  // namespace flakegrab::extractor
