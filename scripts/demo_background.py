#!/usr/bin/env python3
"""Ordinary background traffic for the demo scenario (data/demo/README.md).

Writes NDJSON post records (docs/ingest.md) of everyday talk — work, family, food, hobbies,
the weather, village and community life, small hotline requests, local news — for 15–19
November 2026, the day before the scenario and its four days, in publication order. The texts
are the posts written for the project in data/demo/talk/*.tsv, each used at most once; the
templates and word lists below fill in only when a pool runs out (no corpus is read). The same
seed gives the same file.

Every author keeps one region and a few channels: residents of 长治市's districts and counties
and of 太原 and 晋城, local life accounts, local media and government accounts. The 12345 hotline, the mayor's mailbox and the government message
board are the city's own channels: their records carry the district the request is about.
Volume follows a day/night rhythm (almost silent from one to five, peaks at breakfast, noon
and evening).

The talk is meant to stay ordinary: no accidents, casualties, disputes over money, policy
rumours or scandals, so that a day of it forms only grade IV events (checked with the binary;
see data/demo/README.md for the figures and for what five days of it do to the clusterer).

    python3 scripts/demo_background.py --posts 3000 --seed 7 --out build/demo/background.ndjson
"""
import argparse
import datetime as dt
import json
import os
import random
import re
import sys

TZ = dt.timezone(dt.timedelta(hours=8))

# ---------------------------------------------------------------- places
# code: (name, short name, share of residents, landmarks)
CHANGZHI = {
    "140400": ("长治市", "长治", 0, ["英雄中路", "太行东街", "八一广场", "长治公园", "城隍庙", "太行西街"], ["英雄中路", "太行东街", "太行西街", "府后街", "西大街"]),
    "140403": ("潞州区", "潞州", 10, ["英雄中路", "太行东街", "八一广场", "城隍庙", "长治公园", "太行西街", "府后街", "西大街"], ["英雄中路", "太行东街", "太行西街", "府后街", "西大街", "英雄南路"]),
    "140404": ("上党区", "上党", 7, ["韩店", "城门广场", "荫城镇", "府城路"], ["府城路", "人民路", "建设路"]),
    "140405": ("屯留区", "屯留", 6, ["麟绛路", "城墙根", "康庄公园", "西贾乡"], ["麟绛路", "人民路", "新华街"]),
    "140406": ("潞城区", "潞城", 3, ["中心广场", "成家川", "潞华路", "微子镇"], ["潞华路", "人民路", "建设路"]),
    "140423": ("襄垣县", "襄垣", 3, ["步行街", "古韩镇", "仙堂山", "文化公园"], ["步行街", "人民路", "府前街"]),
    "140425": ("平顺县", "平顺", 5, ["通天峡", "龙溪镇", "老街", "虹梯关"], ["老街", "人民路", "建设路"]),
    "140426": ("黎城县", "黎城", 5, ["黎侯城", "文化广场", "东阳关", "上遥镇"], ["黎侯路", "人民路", "新华街"]),
    "140427": ("壶关县", "壶关", 6, ["太行山大峡谷", "龙泉镇", "人民广场", "常平"], ["人民路", "府前街", "建设路"]),
    "140428": ("长子县", "长子", 6, ["发鸠山", "丹朱镇", "中心广场", "精卫湖"], ["人民路", "府前街", "解放路"]),
    "140429": ("武乡县", "武乡", 5, ["八路军太行纪念馆", "段村镇", "体育广场", "板山"], ["人民路", "新华街", "建设路"]),
    "140430": ("沁县", "沁县", 4, ["南涅水石刻馆", "定昌镇", "府前广场", "圪芦"], ["人民路", "府前街", "解放路"]),
    "140431": ("沁源县", "沁源", 4, ["灵空山", "沁河镇", "人民公园", "花坡"], ["人民路", "新华街", "建设路"]),
}
OTHER = {
    "140100": ("太原市", "太原", 9, ["柳巷", "迎泽公园", "亲贤街", "汾河公园", "桥头街", "长风街"], ["柳巷", "亲贤街", "桥头街", "长风街", "桥东街"]),
    "140500": ("晋城市", "晋城", 6, ["泽州路", "白马寺山", "书院街", "皇城相府"], ["泽州路", "书院街", "红星街"]),
}
PLACES = {**CHANGZHI, **OTHER}


def city_of(code):
    return "长治" if code in CHANGZHI else PLACES[code][1]


# ---------------------------------------------------------------- weather, one story per day
# (the same for every post of the day, so the talk agrees with itself)
WEATHER = {
    15: ("晴", "最高10度", ["太阳挺好", "中午晒得暖洋洋的", "天蓝得不像话"], ["出去走走", "晒晒被子", "去公园溜达一圈"]),
    16: ("降温", "早上零下3度", ["一出门冻得直跺脚", "风一吹脸生疼", "手都不想伸出来"], ["秋裤穿上了", "羽绒服安排上了", "把厚被子翻出来了"]),
    17: ("大风", "风有五六级", ["出门差点被吹跑", "帽子都吹飞了", "骑车顶风蹬不动"], ["还是坐车上班吧", "晚上回家煮碗热汤面", "窗户得关严实"]),
    18: ("阴天飘小雪", "零下2度", ["早上窗外白了一层", "雪花落在衣服上一会儿就化", "今年的第一场雪来得有点早"], ["拍了好多照片", "孩子吵着要堆雪人", "路上走慢点"]),
    19: ("晴转多云", "最高6度", ["雪化得差不多了", "太阳出来了舒服多了", "早晚还是冷"], ["周末想去爬山", "晚上约朋友吃火锅", "把晾的衣服收了"]),
}

EMO_GOOD = ["[哈哈]", "[嘻嘻]", "[偷笑]", "[爱你]", "[赞]", "[心]", "[酷]", "[馋嘴]", "[太开心]", "[鼓掌]", "[doge]", "[笑cry]", ""]
EMO_MEH = ["[允悲]", "[二哈]", "[摊手]", "[吃瓜]", "[思考]", "[哈欠]", "[困]", ""]
EMO_BAD = ["[抓狂]", "[泪]", "[生病]", "[衰]", "[晕]", "[无奈]", ""]

FOODS = ["驴肉火烧", "刀削面", "羊汤", "甩饼", "炒饼", "烧麦", "过油肉", "猪头肉夹饼", "莜面栲栳栳", "油糕",
         "砂锅", "麻辣烫", "小笼包", "焖面", "拉面", "饺子", "糖炒栗子", "烤红薯", "火锅", "羊肉串"]
SHOP_WORDS = ["分量足，十几块吃得饱饱的", "老板是个实在人", "排队排了半小时", "就是店面小了点",
              "这个价位真的良心", "开了二十多年的老店", "中午去晚了就卖完了", "老板娘还送了一碟小菜"]
FOOD_WORDS = ["汤头特别鲜", "外酥里嫩", "肉给得真多", "辣椒油是自己炸的", "冬天吃这个最舒服",
              "吃完浑身都暖了", "面是现擀的", "配一碗小米粥刚好", "咸淡正合适", "香得不行"]
DRINKS = ["奶茶", "热豆浆", "咖啡", "热红酒", "姜茶", "小米粥"]

SPORTS = [
    ("市中学生篮球联赛", ["决赛打到加时", "最后三秒绝杀", "主场赢了十分", "小组赛三连胜", "半场落后逆转"]),
    ("全民健身长跑", ["五公里跑进了二十五分钟", "跑完领了一块奖牌", "一路上好多人加油", "第一次跑完十公里"]),
    ("单位羽毛球赛", ["混双拿了第二", "打了三局才输", "半决赛碰上了去年的冠军", "膝盖有点酸但是开心"]),
    ("小区乒乓球赛", ["七十岁的大爷拿了第一", "我连输三场", "决赛观众比选手还多", "奖品是一桶油哈哈"]),
    ("周末业余足球", ["我们队三比二赢了", "踢了一下午腿都软了", "守门员扑出一个点球", "天冷但踢完一身汗"]),
    ("老年门球赛", ["我爸他们队夺冠了", "老人们打得可认真了", "比赛结束还合影留念"]),
]

SCHOOL = [
    "孩子期中考试成绩出来了，数学进步了十几分，奖励他周末去吃{food}",
    "今天开家长会，老师说孩子上课爱说话，回家得好好聊聊",
    "学校冬季运动会，孩子报了跳绳，一分钟跳了一百六十多个",
    "晚上陪写作业到十点，一道题讲了三遍，我先崩溃了",
    "孩子学校组织去{place}研学，回来讲了一晚上",
    "手抄报又来了，家长比孩子还忙",
    "图书馆占座的同学也太早了，七点到已经没位置了",
    "食堂今天出了新窗口，卖{food}，排队的人特别多",
    "四六级报名开始了，这次一定要过",
    "期末复习开始了，自习室里全是人",
    "孩子今天第一次自己背着书包走进校门，回头冲我挥手",
    "学校合唱比赛拿了一等奖，孩子回家唱了一路",
]

SHOPPING = [
    "双十一的快递终于到齐了，拆了一晚上纸箱",
    "在{place}买了件厚外套，打完折挺划算",
    "超市的白菜萝卜便宜，囤了一堆准备腌酸菜",
    "给爸妈买的电热毯到了，今晚就铺上",
    "新开的商场人好多，逛了一下午啥也没买",
    "网上买的棉拖鞋小了一码，只好送给我妈",
    "年底了，给家里换了个新电饭煲",
    "在{road}的早市买了一兜苹果，十块钱",
    "取快递排了好长的队，驿站小哥忙坏了",
    "给孩子挑了双雪地靴，准备下雪穿",
]

FESTIVAL = [
    ("冬季美食节", ["{place}的冬季美食节开幕了，各个县的小吃都来了", "美食节上吃了{food}和{food2}，肚子撑圆了"]),
    ("灯展", ["{place}的灯展亮了，晚上带孩子去看，拍照的人特别多", "灯展有个大熊猫灯组，孩子看了不想走"]),
    ("梆子戏演出", ["周末广场上有梆子戏演出，老人们听得入迷", "奶奶拉着我去听梆子戏，唱得真地道"]),
    ("书法展", ["{place}的书法展免费开放，看了一上午", "书法展上有位老先生现场写福字送人"]),
    ("非遗展", ["非遗展上看了剪纸和面塑，手艺人太厉害了", "堆锦的手艺第一次见，一针一线都是功夫"]),
    ("读书分享会", ["图书馆的读书分享会挺有意思，讲的是家乡的老故事", "周末带孩子去听了绘本分享会"]),
    ("摄影展", ["太行山摄影展的照片拍得太美了", "{place}摄影展里有一张秋天的红叶，看了好久"]),
]

LIFE = [
    "周一早上的闹钟真是世界上最难听的声音",
    "加班到九点，在{road}吃了碗{food}，活过来了",
    "今天在{place}遛狗，碰见一只特别亲人的橘猫",
    "晚上去{place}散步，跳广场舞的阿姨比年轻人还有劲",
    "健身房办了卡，第三天就腰酸背痛",
    "带娃去{place}玩了一下午，娃没累我先累了",
    "楼下新开了一家面包店，闻着味就进去了",
    "周末约了老同学在{place}喝茶，聊到天黑",
    "给阳台的花换了盆，希望能熬过这个冬天",
    "早上在{place}看见一群人打太极，看着就精神",
    "终于把驾照考下来了，周末练练车",
    "家里的猫天冷了天天钻被窝",
    "周末大扫除，翻出了十年前的日记本",
    "今天的晚霞好看，站在{place}拍了半天",
    "午饭后晒了会儿太阳，困得睁不开眼",
    "学做了一道过油肉，家里人说比饭店的好吃",
    "天一冷就犯困，下午开会差点睡着",
    "换季有点着凉，喝了碗姜汤早早睡了",
    "晚上和家里人去看了场电影，笑了一路",
    "新买的围巾是我妈挑的颜色，意外地好看",
    "下班路过{road}，糖炒栗子的香味飘了半条街",
    "今天在{place}碰到小学同学，二十年没见一眼就认出来了",
    "阳台上晒的柿饼快好了，再等几天",
    "孩子学会了骑自行车，在{place}转了一圈又一圈",
    "把家里的绿萝搬进屋里，怕冻着",
    "这一周过得好慢，盼着周末",
    "熬了一锅小米粥，配咸菜，舒服",
    "第一次带爸妈去{place}拍照，老两口笑得可开心了",
]

TRAFFIC = [
    "早高峰{road}堵得一动不动，{n}分钟挪了不到一公里",
    "{road}在修路，绕道多花了二十分钟",
    "下班走{road}，红绿灯排了三轮才过去",
    "今天出门早了半小时，{road}一路畅通",
    "{road}那个路口早上车太多了，天天堵",
    "雪后路滑，{road}上的车都开得很慢",
    "找了二十分钟车位，最后停到了{place}后面",
]

# ---------------------------------------------------------------- city channels (small matters)
HOTLINE = [
    ("{dist}{road}附近有{lamps}盏路灯不亮，已有一周左右，夜间行人看不清路", "请求有关部门尽快维修"),
    ("{dist}某小区楼上住户晚上十点后还在装修，电钻声音很大，影响休息", "请求协调处理"),
    ("{dist}{road}人行道上一处井盖松动，踩上去晃动", "请求尽快加固"),
    ("{dist}某小区门口的垃圾桶已满两天，未见清运", "请求安排清运"),
    ("{dist}{road}早市摊贩占用人行道，早上行人只能走机动车道", "请求规范摆放"),
    ("{dist}{place}附近广场舞音响声音过大，晚上九点后仍未停止", "请求协调降低音量"),
    ("{dist}{road}行道树树枝遮挡路口信号灯", "请求修剪"),
    ("{dist}{road}路面有一处坑洼，雨雪后积水结冰", "请求修补路面"),
    ("{dist}某小区单元楼道感应灯损坏，老人上下楼不便", "请求维修"),
    ("{dist}{road}共享单车乱停放，堵住了小区出入口", "请求清理"),
    ("{dist}某小区附近有几只流浪狗夜间吠叫", "请求有关部门处置"),
    ("{dist}{place}公厕晚上八点后关闭，晚上锻炼的人很不方便", "建议延长开放时间"),
    ("{dist}{road}路口人行信号灯时间太短，老人过马路来不及", "请求适当延长"),
    ("{dist}家中暖气温度偏低，室温约16度", "请求供热企业上门排查"),
    ("{dist}某小区门口减速带损坏，车辆经过声音很大", "请求更换"),
    ("{dist}{road}路边指示牌被广告遮挡，看不清路名", "请求清理"),
]
# Work-order records open differently from one operator to the next.
OPENERS = ["来电人反映：", "来电人称：", "市民反映：", "居民来电：", "工单记录：来电人反映"]
HOTLINE_ASK = [
    "来电咨询：{dist}老年人优待证在哪里办理，需要带哪些材料。",
    "来电咨询：{dist}图书馆冬季开放时间，周一是否闭馆。",
    "来电咨询：{dist}{place}的冬季美食节举办时间和地点。",
    "来电咨询：{dist}办理居住证需要哪些材料、在哪个窗口办理。",
    "来电咨询：{dist}哪里可以办理老年人乘车卡。",
]
MAILBOX = [
    ("建议在{place}增设健身器材", "市长您好：{place}每天早晚锻炼的人很多，现有的健身器材只有几件，老人孩子经常排队。建议适当增设一些，方便大家锻炼。谢谢！"),
    ("建议延长图书馆开放时间", "市长您好：我是一名上班族，下班后想去图书馆看书，但闭馆时间太早。建议工作日延长到晚上九点，周末增加自习座位。"),
    ("感谢社区工作人员", "市长您好：前几天我母亲在{place}附近迷路，社区工作人员帮忙联系上了家里，特此写信表示感谢。"),
    ("建议{road}增设过街设施", "市长您好：{road}车多，学生上下学过马路不太方便，建议在学校附近增设过街斑马线和提示牌。"),
    ("建议公园增设儿童游乐区", "市长您好：{place}环境很好，但适合小孩子玩的地方少，建议增设一块儿童游乐区，铺上软垫。"),
    ("关于城市文明的建议", "市长您好：建议在{place}等人多的地方多设几个垃圾桶和提示牌，倡导大家文明遛狗，及时清理。"),
]
GOV_ASK = [
    ("冬季开放时间咨询", "请问{place}冬季几点开门、几点关门？周末有没有活动？"),
    ("老年人优待证办理", "请问{dist}的老年人优待证在哪里办，外地来的老人能办吗？"),
    ("居住证办理咨询", "请问在{dist}办居住证需要准备哪些材料，多长时间能拿到？"),
    ("社区食堂位置", "请问{dist}有没有社区老年食堂，在什么位置？"),
    ("体育场馆开放", "请问{dist}的体育馆冬季对市民开放吗，怎么预约？"),
]

NEWS = [
    ("{city}市图书馆冬季阅读季启动", "{city}市图书馆冬季阅读季日前启动，活动持续到明年2月，推出读书分享会、绘本共读、书法体验等二十余场活动，市民可在图书馆公众号预约。"),
    ("{place}冬季美食节开幕 百余种地方小吃集中亮相", "{place}冬季美食节本周开幕，来自各县的百余种地方小吃集中亮相，活动持续五天，每天上午十点至晚上九点。"),
    ("{city}中学生篮球联赛落幕", "{city}中学生篮球联赛日前落幕，共有三十余支队伍参赛，比赛历时两周。"),
    ("气象台：未来三天{city}以{weather}为主", "据气象台消息，未来三天{city}以{weather}天气为主，早晚气温较低，请注意添衣保暖。"),
    ("{place}周边道路施工 车辆可绕行", "{place}周边道路本周进行路面维修，部分车道临时封闭，请过往车辆提前规划路线，绕行通过。"),
    ("{city}太行山摄影展开展", "以太行山为主题的摄影展在{place}开展，展出作品两百余幅，免费向公众开放。"),
    ("{city}全民健身长跑活动举行", "{city}全民健身长跑活动周末举行，两千余名跑步爱好者参加，设五公里和十公里两个项目。"),
    ("非遗进社区活动走进{place}", "非遗进社区活动日前走进{place}，剪纸、面塑、堆锦等传承人现场展示技艺，吸引不少居民驻足。"),
]

WECHAT = [
    ("周末去哪儿｜{city}这几个地方适合带娃", "天冷了也别闷在家里。小编整理了{place}、{place2}几个适合带娃的去处，有室内乐园也有免费展馆，附开放时间和交通路线。"),
    ("探店｜这家{food}，本地人排队也要吃", "藏在{road}的一家老店，{food_word}，{food_word2}。人均二十块，建议错峰去。"),
    ("天冷了，来一碗热乎的{food}", "降温以后，最想念的就是一碗热乎乎的{food}。今天给大家推荐几家口碑不错的馆子，{food_word}。"),
    ("{city}冬季美食节攻略来了", "美食节就在{place}，这份攻略告诉你哪些摊位值得排队、几点去人少、怎么停车。"),
    ("这个周末，{place}有场免费展览", "{place}的展览周末开放，不用预约，展期到月底，喜欢拍照的朋友别错过。"),
]

VIDEO = [
    "vlog｜周末带娃逛{place}，冬天的太阳真舒服",
    "实拍{city}今天的天气，{weather}，路上行人都裹得严严实实",
    "探店{road}的{food}，老板手艺一绝",
    "跟着奶奶学做{food}，一次成功",
    "{place}的夜景，灯一亮真好看",
    "记录一下{city}的早市，热气腾腾的烟火气",
    "第一次跑完{city}全民健身长跑，记录一下",
]

FORUM = [
    ("求推荐{city}好吃的{food}", "最近特别想吃{food}，{city}哪家比较地道？最好在{road}附近，先谢谢大家。"),
    ("周末带老人去哪转转", "家里老人腿脚不太好，周末想带他们出去转转，{place}那边适合吗？有没有不用爬太多台阶的地方。"),
    ("求推荐靠谱的装修师傅", "家里厨房想重新贴砖，{city}有没有靠谱的师傅推荐？活细一点的。"),
    ("哪里能学游泳", "想给孩子报个游泳班，{city}哪家场馆的水温和教练比较好？"),
    ("宠物医院推荐", "家里的狗最近不爱吃饭，{road}附近有没有靠谱的宠物医院？"),
    ("晒晒今年的第一场雪", "早上起来外面白了一片，随手拍了几张{place}的雪景，大家看看。"),
    ("有一起周末爬山的吗", "打算周六去{place}爬山，有没有一起的，早上八点出发，AA。"),
]

# A diary line is put together from several lists, so that two posts seldom share more than a
# word or two (a few hundred fixed sentences would make every post look like every other, and
# the clusterer would glue the whole background into a handful of huge events).
D_WHEN = ["今天", "早上", "中午", "下午", "傍晚", "晚上", "刚才", "午休的时候", "下班以后", "放学以后", "一大早", "吃完晚饭"]
D_WHO = ["和同事", "和老公", "带闺女", "带儿子", "跟我妈", "和室友", "一个人", "和发小", "跟邻居阿姨", "陪老爸",
         "和对象", "带着小外甥", "跟几个老同学", "和健身搭子", "陪奶奶", "和表姐"]
D_DO = ["去{place}转了一圈", "在{road}吃了{food}", "去{place}拍了几张照片", "包了一锅{food2}", "去{place}看了展览",
        "在{road}逛了夜市", "去{place}跑了五公里", "在{road}喝了杯{drink}", "去书店翻了翻{book}", "拼完了一套{toy}",
        "去{place}放风筝", "在{road}挑了个{item}", "去{place}打了场羽毛球", "窝着看了部{film}", "学着做了{food}",
        "去{place}喂鸽子", "在{road}配了副眼镜", "去{place}听了场音乐会", "练了一小时{skill}", "去{place}遛了遛狗"]
D_ITEMS = ["毛线帽", "保温杯", "暖手宝", "棉手套", "羽绒马甲", "格子围巾", "小台灯", "多肉盆栽", "瑜伽垫", "电热水壶",
           "帆布包", "毛绒拖鞋", "陶瓷碗", "日历本", "香薰蜡烛", "蓝牙音箱", "水彩笔", "绒线手套"]
D_BOOKS = ["推理小说", "旅行杂志", "菜谱", "绘本", "历史书", "诗集", "漫画", "摄影集"]
D_TOYS = ["乐高", "拼图", "魔方", "积木", "模型飞机"]
D_FILMS = ["老电影", "动画片", "纪录片", "喜剧片", "家庭剧"]
D_SKILLS = ["毛笔字", "吉他", "钢琴", "跳绳", "英语口语", "素描", "太极拳", "尤克里里"]
D_DETAIL = ["路上的银杏叶全黄了", "阳光照在身上暖洋洋的", "风有点大但空气特别好", "人不多刚刚好", "老板还多送了一份",
            "遇到一只胖乎乎的橘猫", "排了二十分钟的队", "比想象中好玩多了", "拍出来的颜色特别正", "小朋友玩得满头大汗",
            "回来的时候天都黑了", "手机电量都拍没了", "价格也不贵", "回家路上还哼起了歌", "碰见了好久不见的邻居",
            "天边的晚霞是粉紫色的", "街边的烤红薯香得不行", "腿有点酸但很过瘾", "老人家一路都在笑", "顺手给家里带了点水果"]
D_THEN = ["后来又", "接着", "然后", "顺路", "完了", "回头又", "歇了歇", "没过多久", "临走前", "末了"]
D_FEEL = ["开心得不得了", "累并快乐着", "感觉还不错", "挺治愈的", "这一天值了", "下次还想去", "心情大好", "幸福感满满",
          "平平淡淡也挺好", "满足", "生活就是这些小事", "给自己点个赞", "明天继续加油", "困了先睡了"]

NICK_A = ["小王", "阿美", "老李", "吃货", "打工人", "宝妈", "奶茶控", "跑步的猫", "大白", "晴天", "小鱼干", "阿杰", "老张",
          "小七", "豆豆妈", "米粒", "果果", "阿飞", "老周", "胖虎", "小太阳", "木木", "一只熊", "夏天", "阿宁", "小团子",
          "老陈", "糖糖", "二丫", "石头", "青青", "大鹏", "小满", "橙子", "花卷", "芒果", "阿东", "小北", "栗子", "老郭"]
NICK_B = ["", "", "", "2019", "88", "_", "呀", "在路上", "不吃香菜", "爱生活", "的日常", "今天也要开心", "666", "1990"]

KOLS = [
    ("长治美食地图", "140400", 68000), ("长治遛娃攻略", "140400", 31000), ("潞州那些小馆子", "140403", 12000),
    ("壶关乡音", "140427", 9000), ("长子乡情", "140428", 7600), ("沁源山里人家", "140431", 15000),
    ("太原吃喝指南", "140100", 210000), ("晋城同城", "140500", 88000),
]
MEDIA = [("太行晨讯", "140400", 260000), ("并州生活报", "140100", 520000), ("晋城速递", "140500", 150000)]
GOV = [("长治发布", "140400", 380000), ("长治气象", "140400", 45000), ("长治文旅", "140400", 72000),
       ("潞州融媒", "140403", 26000), ("并州气象", "140100", 160000)]


# ---------------------------------------------------------------- written posts
# data/demo/talk/*.tsv: posts written for the project, one per line, each used at most once:
#   TYPE<TAB>DAY<TAB>TEXT  or  TYPE<TAB>DAY<TAB>TITLE<TAB>BODY  (F, M, G, W, N)
# TYPE: P personal Weibo post, F forum thread, V video caption, H 12345 record, M mayor's mailbox
# letter, G message-board message, K lifestyle account's post, W lifestyle WeChat article, N local
# news item, O government account's post; DAY:
# the day of November it belongs to (weather, weekday) or * for any. Slots: {city}, {place},
# {road}. Real people's posts share few phrases; recombined templates share many, and the
# clusterer glues days of them into one event (data/demo/README.md). The templates below are
# used only when a pool runs out.
TALK_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "demo", "talk")
TITLED = {"F", "M", "G", "W", "N"}


class Pools:
    def __init__(self, r, directory=TALK_DIR):
        self.r = r
        self.by = {}  # (type, day) -> list of records, shuffled; day is an int or "*"
        names = sorted(n for n in os.listdir(directory) if n.endswith(".tsv")) if os.path.isdir(directory) else []
        for name in names:
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    line = line.rstrip("\n")
                    if not line.strip():
                        continue
                    fields = line.split("\t")
                    kind = fields[0]
                    want = 4 if kind in TITLED else 3
                    if len(fields) != want or fields[1] not in ("*", "15", "16", "17", "18", "19"):
                        sys.exit(f"demo_background.py: {name}:{n}: expected TYPE, DAY and "
                                 f"{'TITLE, BODY' if kind in TITLED else 'TEXT'} separated by tabs")
                    day = "*" if fields[1] == "*" else int(fields[1])
                    self.by.setdefault((kind, day), []).append(tuple(fields[2:]))
        for k in sorted(self.by, key=str):
            r.shuffle(self.by[k])
        self.left_out = {}

    def take(self, kind, day):
        """A record of `kind` for `day` (the day's own or an any-day one, in proportion to what
        is left of each), or None when both are used up."""
        own, anyday = self.by.get((kind, day), []), self.by.get((kind, "*"), [])
        if not own and not anyday:
            self.left_out[kind] = self.left_out.get(kind, 0) + 1
            return None
        pick = own if self.r.random() < len(own) / (len(own) + len(anyday)) else anyday
        return pick.pop()


def fill_slots(text, slots):
    return re.sub(r"\{(city|place|road)\}", lambda m: str(slots[m.group(1)]), text)


class Gen:
    def __init__(self, seed, pools=True):
        self.r = random.Random(seed)
        self.authors = self._authors()
        self.seq = 0
        self.pools = Pools(random.Random(seed + 1)) if pools else Pools(self.r, directory="")

    def written(self, kind, code, day):
        """A written record (text, or (title, body)) with its slots filled, or None."""
        rec = self.pools.take(kind, day)
        if rec is None:
            return None
        v = self.slots(code, day)
        filled = [fill_slots(x, v) for x in rec]
        return tuple(filled) if kind in TITLED else filled[0]

    # ------------------------------------------------------------ authors
    def _authors(self):
        r = self.r
        codes = list(PLACES)
        weights = [PLACES[c][2] for c in codes]
        seen = set()
        people = []
        while len(people) < 420:
            code = r.choices(codes, weights)[0]
            short = PLACES[code][1]
            name = r.choice([short, short, ""]) + r.choice(NICK_A) + r.choice(NICK_B)
            if name in seen or len(name) < 3:
                continue
            seen.add(name)
            followers = int(r.lognormvariate(5.0, 1.3))
            chans = ["weibo"] * 8 + r.choice([["forum"], ["video"], ["forum", "video"], []]) * 2
            people.append({"name": name, "kind": "individual", "followers": followers,
                           "verified": False, "region": code, "channels": chans})
        kols = [{"name": n, "kind": "kol", "followers": f, "verified": True, "region": c,
                 "channels": ["weibo", "weibo", "wechat", "video"]} for n, c, f in KOLS]
        media = [{"name": n, "kind": "media", "followers": f, "verified": True, "region": c,
                  "channels": ["news", "news", "weibo", "video"]} for n, c, f in MEDIA]
        gov = [{"name": n, "kind": "gov", "followers": f, "verified": True, "region": c,
                "channels": ["weibo"]} for n, c, f in GOV]
        return {"people": people, "kol": kols, "media": media, "gov": gov}

    # ------------------------------------------------------------ helpers
    def landmark(self, code):
        return self.r.choice(PLACES[code][3])

    def road(self, code):
        return self.r.choice(PLACES[code][4])

    def slots(self, code, day):
        """One draw of every slot, shared by a post's title and text so the two agree."""
        r = self.r
        f1, f2 = r.sample(FOODS, 2)
        w1, w2 = r.choice(SHOP_WORDS), r.choice(FOOD_WORDS)
        p1, p2 = r.sample(PLACES[code][3], 2)
        return {"place": p1, "place2": p2, "road": self.road(code), "food": f1, "food2": f2,
                "food_word": w1, "food_word2": w2, "city": city_of(code),
                "dist": PLACES[code][0] if code in CHANGZHI and code != "140400" else "",
                "weather": WEATHER[day][0], "n": r.choice([15, 20, 25, 30, 40]), "lamps": r.randint(2, 6)}

    def fill(self, s, code, day, slots=None):
        return s.format(**(slots or self.slots(code, day)))

    def pair(self, title, body, code, day):
        v = self.slots(code, day)
        return self.fill(title, code, day, v), self.fill(body, code, day, v)

    def metrics(self, a):
        r = self.r
        f = a["followers"]
        if a["kind"] == "individual":
            likes = int(r.expovariate(1.0) * (0.3 + f ** 0.5 / 20))
            return {"reposts": r.choice([0] * 9 + [1]), "comments": r.randint(0, 1 + likes // 4), "likes": likes}
        scale = f / 1000.0
        likes = int(scale * r.uniform(0.02, 0.12)) + r.randint(0, 5)
        return {"reposts": likes // r.randint(6, 15), "comments": likes // r.randint(4, 10), "likes": likes}

    # ------------------------------------------------------------ one post
    def personal(self, a, day, hour):
        """Two or three things a person says in one post (a single short line would be carried
        into whatever event posted last: the clusterer lets short reactions follow the newest
        thread)."""
        r = self.r
        text = self.written("P", a["region"], day)
        if text is not None:
            return text
        if r.random() < 0.7:
            return self.diary(a["region"], day)
        first = self.one_line(a, day, hour, None)
        parts = [first[1]]
        used = {first[0]}
        for _ in range(r.choice([2, 2, 3])):
            t, line = self.one_line(a, day, hour, used)
            used.add(t)
            parts.append(line)
        return "。".join(p.rstrip("。") for p in parts)

    def diary(self, code, day):
        r = self.r
        v = self.slots(code, day)
        v.update(drink=r.choice(DRINKS), book=r.choice(D_BOOKS), toy=r.choice(D_TOYS), item=r.choice(D_ITEMS),
                 film=r.choice(D_FILMS), skill=r.choice(D_SKILLS))
        first, second = r.sample(D_DO, 2)
        text = (f"{r.choice(D_WHEN)}{r.choice(D_WHO)}{first.format(**v)}，{r.choice(D_DETAIL)}，"
                f"{r.choice(D_THEN)}{second.format(**v)}，{r.choice(D_DETAIL)}。{r.choice(D_FEEL)}")
        return text + r.choice(EMO_GOOD + EMO_MEH)

    def one_line(self, a, day, hour, avoid):
        r = self.r
        code = a["region"]
        city = city_of(code)
        w = WEATHER[day]
        weekday = dt.date(2026, 11, day).weekday()
        topics = ["weather", "food", "life", "shopping", "traffic", "sports", "festival", "school"]
        weights = [3, 4, 4, 2, 2 if weekday < 5 and 7 <= hour <= 9 or 17 <= hour <= 19 else 0.6, 1.2, 1, 1.5 if weekday < 5 else 0.5]
        while True:
            t = r.choices(topics, weights)[0]
            if not avoid or t not in avoid:
                break
        if t == "weather":
            text = f"{r.choice(['今天', '今儿', '外面', '这天'])}{w[0]}，{w[1]}，{r.choice(w[2])}，{r.choice(w[3])}{r.choice(EMO_MEH + EMO_GOOD)}"
            if r.random() < 0.3:
                text += f"。来杯{r.choice(DRINKS)}暖暖手"
        elif t == "food":
            text = self.fill(r.choice([
                "{road}那家{food}真的绝了，{food_word}，{food_word2}",
                "天冷就想吃{food}，今天终于吃上了，{food_word2}",
                "下班路过{road}，买了份{food}，{food_word2}",
                "周末在家自己做{food}，{food_word2}，家里人都说好吃",
                "带外地朋友吃了{food}和{food2}，朋友直夸来{city}就为这一口",
            ]), code, day) + r.choice(EMO_GOOD)
        elif t == "life":
            text = self.fill(r.choice(LIFE), code, day) + r.choice(EMO_GOOD + EMO_MEH)
        elif t == "shopping":
            text = self.fill(r.choice(SHOPPING), code, day) + r.choice(EMO_GOOD + EMO_MEH)
        elif t == "traffic":
            text = self.fill(r.choice(TRAFFIC), code, day) + r.choice(EMO_BAD + EMO_MEH)
        elif t == "sports":
            name, lines = r.choice(SPORTS)
            text = f"{r.choice(['今天', '昨天', '周末'])}的{name}，{r.choice(lines)}{r.choice(EMO_GOOD)}"
        elif t == "festival":
            name, lines = r.choice(FESTIVAL)
            text = self.fill(r.choice(lines), code, day) + r.choice(EMO_GOOD)
        else:
            text = self.fill(r.choice(SCHOOL), code, day) + r.choice(EMO_GOOD + EMO_MEH)
        return t, text

    def post(self, when, recent):
        """One post at `when` (aware datetime); `recent` is a list of earlier posts to repost."""
        r = self.r
        day, hour = when.day, when.hour
        roll = r.random()
        office = 8 <= hour <= 21
        if office and roll < 0.05:
            return self.hotline(when)
        if office and roll < 0.065:
            return self.letter(when, "mailbox")
        if office and roll < 0.08:
            return self.letter(when, "gov_platform")
        if 7 <= hour <= 22 and roll < 0.11:
            return self.institution(when, self.r.choice(self.authors["media"] + self.authors["gov"]))
        if roll < 0.15:
            return self.institution(when, self.r.choice(self.authors["kol"]))
        a = r.choice(self.authors["people"])
        ch = r.choice(a["channels"])
        if ch == "weibo" and recent and r.random() < 0.12:
            parent = r.choice(recent)
            head = parent["text"][:24]
            text = r.choice(["说得对", "哈哈哈同感", "收藏了", "周末就去", "这个可以有", "我也想去", "马住", "真不错"]) \
                + r.choice(EMO_GOOD) + f" //@{parent['author']['name']}:{head}"
            return self.record(when, "weibo", a, text, a["region"], parent=parent)
        code = a["region"]
        if ch == "forum":
            title, body = self.written("F", code, day) or self.pair(*r.choice(FORUM), code, day)
            return self.record(when, "forum", a, body, code, title=title)
        if ch == "video":
            return self.record(when, "video", a, self.video(code, day), code)
        return self.record(when, "weibo", a, self.personal(a, day, hour), code)

    def video(self, code, day):
        return self.written("V", code, day) or self.fill(self.r.choice(VIDEO), code, day)

    def institution(self, when, a):
        r = self.r
        code = a["region"]
        day = when.day
        if a["kind"] == "media":
            title, body = self.written("N", code, day) or self.pair(*r.choice(NEWS), code, day)
            ch = r.choice(a["channels"])
            if ch == "news":
                return self.record(when, "news", a, body, code, title=title)
            return self.record(when, ch, a, "【" + title + "】" + body, code)
        if a["kind"] == "gov":
            w = WEATHER[day]
            text = self.written("O", code, day)
            if text is not None:
                return self.record(when, "weibo", a, text, code)
            if "气象" in a["name"]:
                tip = "雪后路面湿滑，行车走路请慢行" if day in (18, 19) else r.choice(["早晚温差大，请适时增减衣物", "空气干燥，注意多喝水", "适宜晾晒被褥"])
                text = f"【天气】今天{city_of(code)}{w[0]}，{w[1]}。{tip}。"
            else:
                title, body = self.pair(*r.choice(NEWS[:3] + NEWS[5:]), code, day)
                text = "【" + title + "】" + body
            return self.record(when, "weibo", a, text, code)
        ch = r.choice(a["channels"])
        if ch == "wechat":
            title, body = self.written("W", code, day) or self.pair(*r.choice(WECHAT), code, day)
            return self.record(when, "wechat", a, body, code, title=title)
        if ch == "video":
            return self.record(when, "video", a, self.video(code, day), code)
        text = self.written("K", code, day)
        if text is not None:
            return self.record(when, "weibo", a, text, code)
        title, body = self.pair(*r.choice(WECHAT), code, day)
        return self.record(when, "weibo", a, r.choice(["#周末去哪儿# ", "#吃喝玩乐# ", "#本地生活# "]) + body, code)

    def city_code(self):
        codes = list(CHANGZHI)
        return self.r.choices(codes, [CHANGZHI[c][2] for c in codes])[0]

    def hotline(self, when):
        r = self.r
        if r.random() < 0.15:
            code = "140100"
            a = {"name": "太原12345热线", "kind": "gov", "followers": 0, "verified": True}
            text = self.written("H", code, when.day)
            if text is None:
                issue, ask = r.choice(HOTLINE)
                text = r.choice(OPENERS) + self.fill(issue, code, when.day) + "，" + ask + "。"
            return self.record(when, "hotline", a, text, code)
        code = self.city_code()
        a = {"name": "12345市民热线", "kind": "gov", "followers": 0, "verified": True}
        text = self.written("H", code, when.day)
        if text is not None:
            return self.record(when, "hotline", a, text, code)
        if r.random() < 0.25:
            text = self.fill(r.choice(HOTLINE_ASK), code, when.day)
        else:
            issue, ask = r.choice(HOTLINE)
            text = r.choice(OPENERS) + self.fill(issue, code, when.day) + "，" + ask + "。"
        return self.record(when, "hotline", a, text, code)

    def letter(self, when, ch):
        r = self.r
        code = self.city_code()
        if ch == "mailbox":
            a = {"name": "市长信箱来信", "kind": "individual", "followers": 0, "verified": False}
            title, body = self.written("M", code, when.day) or self.pair(*r.choice(MAILBOX), code, when.day)
        else:
            a = {"name": "网友留言", "kind": "individual", "followers": 0, "verified": False}
            title, body = self.written("G", code, when.day) or self.pair(*r.choice(GOV_ASK), code, when.day)
        return self.record(when, ch, a, body, code, title=title)

    def record(self, when, ch, a, text, region, title=None, parent=None):
        self.seq += 1
        rec = {"source": "demo_" + ch, "id": f"bg{self.seq}", "published_at": when.isoformat(), "channel": ch,
               "text": text, "region": region,
               "author": {k: a[k] for k in ("name", "kind", "followers", "verified")},
               "metrics": self.metrics(a) if ch not in ("hotline", "mailbox", "gov_platform")
               else {"reposts": 0, "comments": 0, "likes": 0}}
        if title:
            rec["title"] = title
        if parent:
            rec["parent"] = {"source": parent["source"], "id": parent["id"]}
        return rec


# Share of a day's posts in each hour (Asia/Shanghai): peaks at 8, 12 and 20–21, and nights almost
# silent from one to five (which also ends the day's threads: the clusterer carries a post into the
# newest event by time alone for a few hours at most).
HOURS = [0.4, 0.06, 0.02, 0.02, 0.02, 0.1, 0.5, 1.0, 1.5, 1.4, 1.3, 1.3, 1.5, 1.4, 1.2, 1.2, 1.3, 1.4, 1.5, 1.7, 1.8, 1.7, 1.4, 0.9]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=3000, help="posts in all (default 3000)")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    ap.add_argument("--start", default="2026-11-15", help="first day (default 2026-11-15)")
    ap.add_argument("--days", type=int, default=5, help="number of days (default 5, up to 2026-11-19)")
    ap.add_argument("--out", default="-", help="output file (default standard output)")
    ap.add_argument("--templates-only", action="store_true",
                    help="ignore data/demo/talk and recombine the templates (the old generator)")
    args = ap.parse_args()
    start = dt.date.fromisoformat(args.start)
    days = [start + dt.timedelta(days=i) for i in range(args.days)]
    if any(d.month != 11 or d.day not in WEATHER for d in days):
        sys.exit("demo_background.py: the word lists cover 2026-11-15 to 2026-11-19 only")
    g = Gen(args.seed, pools=not args.templates_only)
    times = []
    for _ in range(args.posts):
        d = g.r.choice(days)
        h = g.r.choices(range(24), HOURS)[0]
        times.append(dt.datetime(d.year, d.month, d.day, h, g.r.randrange(60), g.r.randrange(60), tzinfo=TZ))
    times.sort()
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    recent = []
    for t in times:
        rec = g.post(t, recent)
        if rec["author"]["kind"] in ("kol", "media", "gov") and rec["channel"] in ("weibo", "news"):
            recent = (recent + [rec])[-30:]
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if out is not sys.stdout:
        out.close()
    if g.pools.left_out and not args.templates_only:
        print("demo_background.py: written posts ran out, templates used for " +
              ", ".join(f"{n} of type {k}" for k, n in sorted(g.pools.left_out.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
