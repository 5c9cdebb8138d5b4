#pragma once
// Why the system refused a file, in both languages of a message: a reviewer reading Chinese is
// told as much as one reading English ("cannot read the file: No such file or directory").

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace rulebook::detail {

/// The system's reason for `err` (an errno value): {English (strerror), Chinese}. The Chinese
/// words are glibc's zh_CN ones, written here so that they do not depend on an installed locale;
/// a rarer reason keeps its English words.
inline std::pair<std::string, std::string> os_reason(int err) {
  const char* zh = nullptr;
  switch (err) {
    case ENOENT: zh = "没有那个文件或目录"; break;
    case EACCES: zh = "权限不够"; break;
    case EPERM: zh = "不允许的操作"; break;
    case EISDIR: zh = "是一个目录"; break;
    case ENOTDIR: zh = "不是目录"; break;
    case ELOOP: zh = "符号连接的层数过多"; break;
    case ENAMETOOLONG: zh = "文件名过长"; break;
    case EIO: zh = "输入/输出错误"; break;
    case EMFILE: zh = "打开的文件过多"; break;
    case ENFILE: zh = "系统中打开的文件过多"; break;
    case ENOMEM: zh = "无法分配内存"; break;
    case ENXIO: zh = "没有那个设备或地址"; break;
    case ENODEV: zh = "没有那个设备"; break;
    case EBUSY: zh = "设备或资源忙"; break;
    default: break;
  }
  std::string en = std::strerror(err);
  return {en, zh ? std::string(zh) : en};
}

/// A file the system would not open or read, with its reason: {"cannot read the file: No such file
/// or directory", "无法读取该文件：没有那个文件或目录"}. Every reader says it so.
inline std::pair<std::string, std::string> cannot_read_file(int err) {
  auto [en, zh] = os_reason(err);
  return {"cannot read the file: " + en, "无法读取该文件：" + zh};
}

}  // namespace rulebook::detail
