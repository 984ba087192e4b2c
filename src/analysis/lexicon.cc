// The lexicons are hand-written for yuqing from the domain description (DOMAIN.md) and the
// vocabulary of Chinese government public-opinion work; docs/analysis.md explains each list.
// Words are matched whole (both ends on segmenter word boundaries), so a cue inside a longer
// word (不实 in 不实用) does not fire.
#include "analysis/lexicon.h"

#include <string>
#include <vector>

#include "model/analysis.h"

namespace yuqing::analysis {
namespace {

using model::Domain;

struct Group {
  Cue cue;
  int8_t domain;
  float weight;
  const char* words;  // space-separated
};

constexpr int8_t D(Domain d) { return static_cast<int8_t>(d); }

const Group kGroups[] = {
    {Cue::kSarcasm, -1, 1,
     "呵呵 呵呵呵 呵呵哒 好棒棒 棒棒哒 真是谢谢 谢谢你们 真行 真棒啊 可真行 厉害了 服了 醉了 "
     "真是醉了 也是醉了 我也是醉了 666 高级黑 真是够了 简直了 无语 笑死 笑死人 呵"},
    {Cue::kHedge, -1, 1,
     "网传 网曝 网友爆料 爆料 据说 听说 传言 传闻 疑似 据传 有消息称 有网友称 有人说 朋友说 "
     "小道消息 内部消息 知情人士 知情人 据悉 可能 竟然 居然 传出 流传 网上流传 一则消息"},
    {Cue::kUrgent, -1, 1,
     "紧急扩散 紧急通知 紧急提醒 紧急求助 转发周知 扩散 速转 速看 快转 请转发 求转发 转起来 "
     "帮忙转发 转发 互相转告 相互转告 告诉家人 告诉身边 周知 注意了 千万不要 千万别 赶紧 "
     "马上删 速删 大家注意 提醒大家 请大家 互相转发 求扩散 一定要看 必看"},
    {Cue::kSensational, -1, 1,
     "震惊 惊呆 惊呆了 太可怕 太可怕了 可怕 吓人 吓死 惨不忍睹 惨绝人寰 触目惊心 骇人听闻 "
     "丧心病狂 天啊 天哪 我的天 逆天 惊人 致癌 剧毒 有毒 死亡 惨剧 人间惨剧 血泪 惊天 曝光 "
     "真相 内幕 黑幕 绝密 秘密 揭秘 不敢相信 难以置信 毁三观 细思恐极 细思极恐 !!! ！！！"},
    {Cue::kDenial, -1, 1,
     "辟谣 不实 谣言 系谣言 纯属谣言 纯属虚构 造谣 传谣 不属实 并不属实 假消息 假新闻 虚假信息 "
     "子虚乌有 澄清 官方辟谣 警方辟谣 已辟谣 谣言粉碎机 不信谣 不传谣 已被拘留 行政拘留 依法处理 "
     "并非事实 与事实不符 失实 虚构"},
    {Cue::kSource, -1, 1,
     "警方通报 通报 官方通报 情况通报 新华社 人民日报 央视 央视新闻 中新网 中新社 新京报 记者 "
     "本报讯 本报记者 据新华社 官方 官网 发布会 新闻发布会 公告 声明 官方微博 政务微博 公安局 "
     "应急管理局 卫健委 教育局 市政府 县政府 区政府 发布 数据显示 统计局 报道 报道称 据报道"},
    {Cue::kPolicy, -1, 1,
     "政策 新政 新规 规定 条例 办法 意见 通知 文件 改革 实施细则 征求意见稿 出台 试行 新政策 "
     "国务院 部委 政府工作报告 法规 法律 修订 修正案 草案 制度 措施 标准 个税 延迟退休 "
     "限购 限行 限号 二孩 三孩 户籍 落户 医改 教改 双减 减负 收费标准"},
    {Cue::kMisreading, -1, 1,
     "误读 误解 曲解 解读 读错 理解有误 是真的吗 真的吗 真假 谣传 被误读 被曲解 官方回应 回应 "
     "官方解读 权威解读 答疑 一图读懂 不是这样 并非如此 断章取义 歪曲 误传 误会 质疑"},
    {Cue::kInterest, -1, 1,
     "拆迁 强拆 征地 征收 补偿款 安置 房价 学区房 学位 入学 择校 医保 社保 养老金 退休金 工资 "
     "欠薪 讨薪 拖欠 拖欠工资 农民工 涨价 水价 电价 气价 油价 停水 停电 停气 断水 断电 供暖 "
     "污染 饮用水 自来水 水质 空气质量 雾霾 垃圾焚烧 PX 化工厂 集资 非法集资 暴雷 爆雷 跑路 "
     "烂尾 烂尾楼 物业 业主 退费 乱收费 看病难 看病贵 上学难 住房 公积金 低保 扶贫 补贴 户口 "
     "出行 交通拥堵 公交 地铁 食品安全 疫苗 药品"},
    {Cue::kScale, -1, 1,
     "上百名 数百名 上千名 数千名 上万名 数十名 几百人 上百人 数百人 上千人 数千人 群众 村民 "
     "居民 业主们 家长们 市民 集体 聚集 围堵 维权 上访 信访 请愿 抗议 示威 群体性 大规模 大面积 "
     "全市 全省 全县 多地 多名 众多 广大"},
    {Cue::kMoral, -1, 1,
     "虐待 虐童 虐猫 性侵 猥亵 强奸 拐卖 拐卖儿童 人贩子 毒奶粉 地沟油 假疫苗 问题疫苗 毒胶囊 "
     "瘦肉精 假药 黑心 见死不救 碰瓷 霸凌 校园霸凌 殴打老人 遗弃 弃婴 家暴 虐待老人 不赡养 "
     "逼死 辱骂 丧尽天良 道德沦丧 冷漠 欺凌 扶不扶 老人倒地 讹诈 诈骗老人 骗取 插队 打人 "
     "暴力执法 城管打人 医闹 伤医 杀医 假冒伪劣 造假 毒大米 毒豆芽 苏丹红 三聚氰胺 染色馒头"},
    {Cue::kEmergency, -1, 1,
     "地震 余震 洪水 洪灾 暴雨 特大暴雨 台风 泥石流 山体滑坡 滑坡 塌方 火灾 大火 起火 着火 失火 "
     "爆炸 坍塌 垮塌 倒塌 事故 交通事故 车祸 翻车 追尾 相撞 沉船 坠机 空难 矿难 透水 瓦斯爆炸 "
     "泄漏 泄露 毒气 中毒 食物中毒 疫情 传染病 禽流感 踩踏 溺水 遇难 罹难 身亡 丧生 死亡 "
     "受伤 伤者 失踪 失联 被困 搜救 救援 抢险 救灾 灾情 灾区 受灾 干旱 冰雹 雪灾 寒潮 龙卷风 "
     "海啸 决堤 溃坝 险情 应急响应 突发 突发事件 恐怖袭击 砍人 持刀 枪击 纵火"},

    // Keyword evidence per domain: strong words (weight 1) name the field; weak ones (0.5) lean.
    {Cue::kDomain, D(Domain::kEducation), 1,
     "教育局 学校 学生 老师 教师 校长 高考 中考 考研 考生 招生 幼儿园 小学 中学 大学 高校 教育 "
     "课堂 课程 作业 双减 补课 培训班 校园 学位 学区 录取 留学 毕业生 班主任 家长会 教育部"},
    {Cue::kDomain, D(Domain::kHealth), 1,
     "医院 医生 护士 患者 病人 卫健委 卫生 医疗 看病 手术 疫苗 接种 疫情 病毒 感染 确诊 核酸 "
     "传染病 流感 癌症 肿瘤 疾病 健康 医保 药物 就医 急诊 门诊 住院 医患 医闹 伤医 新冠 肺炎 "
     "疾控 防疫 体检 治疗 病例 症状 中医 养生 致癌"},
    {Cue::kDomain, D(Domain::kEnvironment), 1,
     "环保 环境 污染 排污 偷排 废水 废气 污水 雾霾 PM2.5 空气质量 臭味 异味 垃圾焚烧 垃圾 "
     "生态环境局 环保局 生态 噪音 噪声 扰民 化工厂 排放 水质 河道 黑臭 固废 危废 碳排放 "
     "环评 PX 水污染 土壤污染 大气污染"},
    {Cue::kDomain, D(Domain::kHousing), 1,
     "房价 楼市 房地产 开发商 楼盘 商品房 二手房 住房 租房 房租 公租房 保障房 棚改 拆迁 强拆 "
     "物业 业主 小区 烂尾 烂尾楼 违建 违章建筑 住建局 住建 城管 市政 燃气 供暖 公积金 房贷 "
     "限购 装修 建筑 施工 工地 老旧小区 改造 城中村"},
    {Cue::kDomain, D(Domain::kTransport), 1,
     "交通 公交 地铁 高铁 火车 铁路 机场 航班 飞机 高速 高速公路 公路 道路 堵车 拥堵 出租车 "
     "网约车 滴滴 司机 乘客 车站 交通局 交通运输 限行 限号 驾照 驾驶 停车 停车费 车票 春运 "
     "客运 货车 大货车 共享单车 航空 轮渡"},
    {Cue::kDomain, D(Domain::kPublicSecurity), 1,
     "警方 公安 公安局 派出所 民警 警察 报警 110 嫌疑人 犯罪嫌疑人 刑拘 拘留 逮捕 抓获 "
     "诈骗 电信诈骗 盗窃 抢劫 杀人 命案 凶手 打架 斗殴 打人 持刀 砍人 涉黑 扫黑除恶 黑社会 "
     "毒品 吸毒 贩毒 传销 赌博 拐卖 性侵 猥亵 治安 交警 酒驾 醉驾 肇事 逃逸 刑警 警情"},
    {Cue::kDomain, D(Domain::kMarketSupervision), 1,
     "市场监管 市场监管局 工商 食品安全 食品 餐馆 饭店 外卖 过期 变质 假货 假冒 伪劣 山寨 "
     "消费者 投诉 维权 退款 退货 商家 虚假宣传 价格 涨价 哄抬 质量 质检 产品质量 药品 假药 "
     "保健品 奶粉 地沟油 添加剂 食物中毒 药监局 计量 缺斤少两 消费 3·15 315"},
    {Cue::kDomain, D(Domain::kEmployment), 1,
     "就业 失业 招聘 求职 工资 欠薪 讨薪 拖欠工资 农民工 社保 养老保险 养老金 退休 延迟退休 "
     "人社局 人社 劳动 劳动合同 劳动仲裁 加班 996 裁员 辞退 工伤 最低工资 五险一金 员工 "
     "职工 打工 公务员 考公 事业单位 就业率"},
    {Cue::kDomain, D(Domain::kCivilAffairs), 1,
     "民政 民政局 低保 救助 救助站 流浪 乞讨 养老院 敬老院 孤儿 留守儿童 留守老人 残疾人 "
     "婚姻登记 结婚登记 离婚 殡葬 墓地 社区 居委会 村委会 慈善 捐款 募捐 困难群众 特困 "
     "五保户 福利院 老年人 志愿者 社会组织"},
    {Cue::kDomain, D(Domain::kAgriculture), 1,
     "农业 农村 农民 农田 耕地 种植 养殖 粮食 小麦 水稻 玉米 果农 菜农 农产品 化肥 农药 种子 "
     "乡村 村民 扶贫 脱贫 三农 乡村振兴 合作社 土地流转 宅基地 畜牧 生猪 猪肉 猪价 农业农村局 "
     "收成 丰收 滞销 大棚"},
    {Cue::kDomain, D(Domain::kEmergency), 1,
     "应急管理 应急管理局 安全生产 安监 事故 爆炸 火灾 起火 坍塌 垮塌 矿难 煤矿 透水 瓦斯 "
     "泄漏 危化品 地震 洪水 暴雨 台风 泥石流 山体滑坡 救援 抢险 消防 消防员 被困 遇难 伤亡 "
     "防汛 抗旱 灾害 灾情 受灾 预警 应急 疏散 踩踏"},
    {Cue::kDomain, D(Domain::kNaturalResources), 1,
     "自然资源 自然资源局 国土 国土资源 土地 用地 耕地保护 非法占地 违法占地 采矿 矿产 矿山 "
     "盗采 非法采砂 采砂 林地 森林 砍伐 毁林 草原 湿地 海域 围海 填海 测绘 不动产登记 规划 "
     "地质灾害"},
    {Cue::kDomain, D(Domain::kFinance), 1,
     "金融 银行 贷款 网贷 P2P 理财 基金 股票 股市 A股 证券 证监会 银保监会 保险 利率 利息 "
     "存款 信用卡 非法集资 集资 暴雷 爆雷 跑路 投资 投资者 理财产品 债务 催收 校园贷 套路贷 "
     "人民币 汇率 央行 经济 GDP 上市 涨停 跌停"},
    {Cue::kDomain, D(Domain::kCultureTourism), 1,
     "旅游 景区 游客 导游 门票 旅行社 酒店 民宿 文旅 文化 博物馆 文物 演出 演唱会 电影 电视剧 "
     "明星 综艺 娱乐 体育 比赛 足球 篮球 球迷 奥运 运动员 非遗 古镇 旅游团 宰客 强制购物 黄金周"},
    {Cue::kDomain, D(Domain::kPropaganda), 1,
     "网信办 网信 网络安全 个人信息 隐私 泄露 网络谣言 谣言 舆论 舆情 媒体 记者 新闻 宣传 "
     "宣传部 网络 互联网 网站 APP 直播 主播 短视频 抖音 快手 微博 微信 公众号 自媒体 网民 "
     "网友 热搜 游戏 网游 防沉迷 意识形态 网暴 网络暴力 人肉搜索"},
};

struct Built {
  std::vector<std::string> storage;
  std::vector<LexEntry> entries;
};

const Built& GetBuilt() {
  static const Built* built = [] {
    auto* b = new Built();
    size_t count = 0;
    for (const Group& g : kGroups) {
      std::string_view all = g.words;
      while (!all.empty()) {
        size_t sp = all.find(' ');
        if (sp != 0) ++count;
        if (sp == std::string_view::npos) break;
        all.remove_prefix(sp + 1);
      }
    }
    b->storage.reserve(count);  // string_views into storage stay valid
    for (const Group& g : kGroups) {
      std::string_view all = g.words;
      while (!all.empty()) {
        size_t sp = all.find(' ');
        std::string_view w = all.substr(0, sp);
        if (!w.empty()) {
          b->storage.emplace_back(w);
          b->entries.push_back({b->storage.back(), g.cue, g.domain, g.weight});
        }
        if (sp == std::string_view::npos) break;
        all.remove_prefix(sp + 1);
      }
    }
    return b;
  }();
  return *built;
}

// 不是不好: each negator toggles the scope, so a double negative reads positive.
constexpr std::string_view kNegators[] = {
    "不",   "没",     "没有",   "无",     "非",   "别",   "未",   "莫",   "勿",   "不是", "并非",
    "并不", "并没有", "从不",   "从未",   "毫无", "不再", "绝不", "决不", "不会", "不能", "不要",
    "不用", "不必",   "没什么", "不怎么", "不太", "不够", "无法", "难以", "未必", "不曾", "甭"};

constexpr std::string_view kDegrees[] = {
    "很",   "非常", "太",     "特别", "十分", "极其", "极",   "超",   "超级", "相当", "比较",
    "有点", "有些", "稍微",   "略",   "最",   "挺",   "蛮",   "真",   "真的", "巨",   "好",
    "更",   "更加", "越来越", "格外", "尤其", "实在", "简直", "太过", "过于", "万分", "异常"};

}  // namespace

std::span<const LexEntry> Lexicon() { return GetBuilt().entries; }
std::span<const std::string_view> Negators() { return kNegators; }
std::span<const std::string_view> DegreeWords() { return kDegrees; }

}  // namespace yuqing::analysis
