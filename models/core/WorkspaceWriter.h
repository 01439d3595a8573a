#pragma once

#include "core/Result.h"
#include "core/Workspace.h"

#include <nlohmann/json.hpp>

namespace Slopscope {

// The workspace as the JSON document Workspace::fromJson reads: fromJson(toJson(w)) gives w back.
// Fields at the loader's default are left out, as a person writing the file would. Keys are never
// written: ProviderConfig holds only the names of the variables (api_key_env, secret headers).
// `baseDir` is the folder the document will live in; a provider's ca_file inside it is written
// relative to it, so a workspace folder can move as a whole.
nlohmann::json workspaceToJson(const Workspace &workspace, const QString &baseDir = {});
// Indented UTF-8, ending in a newline.
QByteArray workspaceToBytes(const Workspace &workspace, const QString &baseDir = {});
// Writes the workspace to `path` atomically (QSaveFile): a crash or a full disk leaves the old
// file as it was. The error names the path.
Status saveWorkspace(const Workspace &workspace, const QString &path);

} // namespace Slopscope
