// Reading back what `scan` and `dump` printed, so a later `push` or `correlate` can use it.
#include "base/error.h"
#include "base/read_file.h"
#include "grabber/repo.h"

namespace flakegrab {
namespace {

RefScan from_one(const nlohmann::ordered_json& j) {
  RefScan r;
  r.repo = j.value("repo", j.value("root", std::string()));
  r.branch = j.value("branch", std::string());
  r.ref = r.branch;
  r.commit = j.value("commit", std::string());
  r.scan = scan_from_json(j);
  return r;
}

}  // namespace

std::vector<RefScan> scans_from_document(const nlohmann::ordered_json& doc,
                                         const std::string& source) {
  try {
    if (!doc.is_object()) throw Error("not a scan document");
    std::vector<RefScan> out;
    if (auto it = doc.find("scans"); it != doc.end() && it->is_array()) {
      for (const auto& j : *it) out.push_back(from_one(j));
    } else {
      out.push_back(from_one(doc));
    }
    return out;
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  } catch (const nlohmann::json::exception& e) {
    throw Error(source + ": not a scan document (" + e.what() + ")");
  }
}

std::vector<RefScan> read_scan_documents(const std::filesystem::path& file) {
  auto doc = nlohmann::ordered_json::parse(read_whole_file(file), nullptr, false);
  if (doc.is_discarded()) throw Error(file.string() + ": not valid JSON");
  return scans_from_document(doc, file.string());
}

}  // namespace flakegrab
