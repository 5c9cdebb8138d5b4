#include "corpus.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace rulebook::bench {
namespace {

// A string's characters, as JavaScript indexes them (all are in the BMP: one unit each).
std::vector<std::string> chars(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = (s[i] & 0x80) == 0 ? 1 : (s[i] & 0xE0) == 0xC0 ? 2 : (s[i] & 0xF0) == 0xE0 ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

const auto surnames = chars(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭"
    "廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武欧阳");
const auto given = chars(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏飞建国志文斌辉宇浩然子轩梓涵欣怡雨晨思远佳琪博文嘉怡俊杰天"
    "佑晓东海燕");
const std::vector<std::string> cities{"北京", "上海", "深圳", "杭州", "苏州", "南京",
                                      "武汉", "成都", "西安", "合肥", "广州", "天津"};
const std::vector<std::string> industries{"新一代信息技术", "生物医药",   "高端装备制造", "新材料",   "新能源",
                                          "节能环保",       "新能源汽车", "数字创意",     "航空航天", "现代农业"};
const std::vector<std::string> foreign{"US", "JP", "DE", "KR", "GB", "FR", "EP"};
const auto credit_chars = chars("0123456789ABCDEFGHJKLMNPQRTUWXY");

// JavaScript's Number#toString for these magnitudes: the shortest digits that read back, fixed notation.
std::string js_number(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}
std::string yuan(long cents) { return js_number(double(cents) / 100); }
std::string two(long n) { return (n < 10 ? "0" : "") + std::to_string(n); }

}  // namespace

// mulberry32, in uint32 arithmetic exactly as JavaScript's Math.imul and >>> compute it.
double Corpus::rnd() {
  state_ += 0x6D2B79F5u;
  std::uint32_t t = state_;
  t = (t ^ (t >> 15)) * (t | 1u);
  t ^= t + (t ^ (t >> 7)) * (t | 61u);
  return double(t ^ (t >> 14)) / 4294967296.0;
}
long Corpus::uniform(long lo, long hi) { return lo + long(std::floor(rnd() * double(hi - lo + 1))); }
bool Corpus::chance(double p) { return rnd() < p; }
template <class T>
const T& Corpus::pick(const std::vector<T>& a) {
  return a[std::size_t(std::floor(rnd() * double(a.size())))];
}

void Corpus::record(long i, std::string& out) {
  static const double lo = std::log(1e6), hi = std::log(2e9);
  double r = rnd();
  std::string type = r < 0.5 ? "patent_service_agency" : r < 0.85 ? "enterprise" : "university";
  std::string name = pick(cities);  // one draw a statement: C++ leaves operand order open
  name += pick(surnames);
  for (long k = uniform(1, 2); k > 0; --k) name += pick(given);
  name += type == "patent_service_agency" ? "知识产权代理有限公司" : type == "enterprise" ? "科技股份有限公司" : "大学";
  std::string received = chance(0.4) ? "0" : yuan(uniform(0, 60'000'000));
  long amount_cents = long(std::floor(std::exp(lo + rnd() * (hi - lo)) + 0.5));  // Math.round
  std::string patents;
  for (long k = uniform(0, 8); k > 0; --k) {
    double kr = rnd();
    std::string kind = kr < 0.5 ? "invention" : kr < 0.85 ? "utility_model" : "design";
    bool granted = chance(0.7);
    std::string country = chance(0.8) ? "CN" : pick(foreign);
    long years = uniform(0, 20);
    const std::string& industry = pick(industries);
    patents += std::string(patents.empty() ? "" : ",") + "{\"kind\":\"" + kind +
               "\",\"granted\":" + (granted ? "true" : "false") + ",\"country\":\"" + country +
               "\",\"years_maintained\":" + std::to_string(years) + ",\"industry\":\"" + industry + "\"}";
  }
  std::string code = "91";
  for (int k = 0; k < 16; ++k) code += pick(credit_chars);
  bool tripartite = chance(0.7);
  long y = uniform(2023, 2026), m = uniform(1, 12), d = uniform(1, 28);
  bool succeeded = chance(0.75);
  char id[32];
  std::snprintf(id, sizeof id, "APP-%07ld", i);
  out = std::string("{\"id\":\"") + id + "\",\"applicant\":{\"name\":\"" + name + "\",\"type\":\"" + type +
        "\",\"credit_code\":\"" + code + "\",\"subsidies_received\":" + received +
        "},\"contract\":{\"amount\":" + yuan(amount_cents) + ",\"tripartite\":" + (tripartite ? "true" : "false") +
        ",\"signed_date\":\"" + std::to_string(y) + "-" + two(m) + "-" + two(d) +
        "\"},\"transformation\":{\"succeeded\":" + (succeeded ? "true" : "false") + "},\"patents\":[" + patents +
        "]}\n";
}

}  // namespace rulebook::bench
