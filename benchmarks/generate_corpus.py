#!/usr/bin/env python3
"""Deterministic synthetic corpus generator for roundtrace benchmarks.

Writes N synthetic news articles about AI-startup funding rounds (English,
Simplified and Traditional Chinese) as Markdown files with YAML front matter::

    python benchmarks/generate_corpus.py N OUTDIR [--seed 0] [--start-date 2025-01-01]

Design notes
------------
* Stdlib only. Every article ``i`` is generated from its own RNG seeded with
  ``(seed, i)``, so article ``i`` is byte-identical whatever N is (a 1k corpus
  is a prefix of the 10k corpus with the same seed).
* Each article is about one focal round (company + round label).  Article ``i``
  picks its round from a sliding window of round ids near ``i // 8`` with
  per-round popularity weights, so N articles cover about N/8 distinct rounds
  (several articles per round, popular rounds get many).
* Round facts (company, figures, investors, primary outlet, dates) depend only
  on ``(seed, round id, start date)`` and are cached, so articles about the
  same round agree on the underlying facts while phrasing them differently
  (bounds, glosses, hedges, attribution).  5-15% of articles are relays of the
  round's primary report and copy its figures verbatim while citing it.
* All text comes from templates written for this project; company, investor
  and publisher names are invented except for a short list of well-known AI
  labs and investors.  Figures attached to real names are fictitious.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import random
import sys
import time
from functools import lru_cache

__all__ = ["ALLOWED_KEYS", "LANGUAGES", "article", "article_meta", "generate", "main"]

ALLOWED_KEYS = ("url", "publisher", "published", "language", "title", "retrieved", "notes")
LANGUAGES = ("en", "zh-Hans", "zh-Hant")
DEFAULT_START = dt.date(2025, 1, 1)
ARTICLES_PER_ROUND = 8
ROUND_WINDOW = 16
SPAN_DAYS = 730
MIN_WORDS, MAX_WORDS = 150, 800
RELAY_RATE = 0.10
USD_CNY = 7.2

# ---------------------------------------------------------------------------
# Name pools (fixed, independent of the seed)
# ---------------------------------------------------------------------------

_EN_HEADS = [
    "Nimbus",
    "Lattice",
    "Vector",
    "Halcyon",
    "Quill",
    "Ember",
    "Cobalt",
    "Meridian",
    "Solstice",
    "Tessellate",
    "Aperture",
    "Arbor",
    "Beacon",
    "Cadence",
    "Cinder",
    "Corvid",
    "Drift",
    "Ferrous",
    "Fathom",
    "Glint",
    "Harbor",
    "Helix",
    "Ion",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Monolith",
    "Nebular",
    "Obelisk",
    "Orchard",
    "Parallax",
    "Prism",
    "Quasar",
    "Rivet",
    "Saffron",
    "Sable",
    "Signal",
    "Slate",
    "Sparrow",
    "Strata",
    "Tangent",
    "Tern",
    "Thicket",
    "Umbra",
    "Vantage",
    "Verdant",
    "Vesper",
    "Warp",
    "Willow",
    "Zephyr",
    "Axiom",
    "Basalt",
    "Cirrus",
    "Delta",
    "Epoch",
    "Fjord",
    "Gossamer",
    "Hollow",
    "Inkwell",
    "Keel",
]
_EN_TAILS = [
    "Reasoning",
    "Labs",
    "AI",
    "Robotics",
    "Systems",
    "Dynamics",
    "Intelligence",
    "Compute",
    "Machines",
    "Cognition",
    "Neural",
    "Works",
    "Foundry",
    "Research",
    "Semantics",
    "Silicon",
    "Agents",
    "Autonomy",
    "Models",
    "Vision",
    "Logic",
    "Mind",
    "Data",
    "Circuits",
    "Bio",
    "Analytics",
    "Voice",
    "Learning",
    "Inference",
    "Stack",
    "Cortex",
    "Scale",
]
_CN_HEADS = (
    ("Qingyun", "青云"),
    ("Xingchen", "星辰"),
    ("Zhiyuan", "智远"),
    ("Tianshu", "天枢"),
    ("Lingxi", "灵犀"),
    ("Haina", "海纳"),
    ("Mingjing", "明镜"),
    ("Yunfan", "云帆"),
    ("Jiuzhang", "九章"),
    ("Shenlan", "深蓝"),
    ("Pangu", "盘古"),
    ("Fuxi", "伏羲"),
    ("Xuanwu", "玄武"),
    ("Zhuque", "朱雀"),
    ("Kunpeng", "鲲鹏"),
    ("Tianji", "天机"),
    ("Huayu", "华宇"),
    ("Chuangxin", "创新"),
    ("Jingwei", "精卫"),
    ("Moshu", "墨书"),
    ("Yuanjing", "远景"),
    ("Shuguang", "曙光"),
    ("Chenxi", "晨曦"),
    ("Yinhe", "银河"),
    ("Lanting", "兰亭"),
    ("Qiming", "启鸣"),
    ("Zhixing", "知行"),
    ("Boya", "博雅"),
    ("Haoran", "浩然"),
    ("Ruijie", "睿捷"),
    ("Xinyuan", "心源"),
    ("Tongda", "通达"),
    ("Feiyue", "飞跃"),
    ("Jinghong", "惊鸿"),
    ("Qianfan", "千帆"),
    ("Wanxiang", "万象"),
    ("Hongmeng", "鸿濛"),
    ("Ziwei", "紫微"),
    ("Baize", "白泽"),
    ("Xihe", "羲和"),
    ("Wangshu", "望舒"),
    ("Yaoguang", "瑶光"),
    ("Tianquan", "天权"),
    ("Kaiyang", "开阳"),
)
_CN_TAILS = (
    ("Zhineng", "智能"),
    ("Keji", "科技"),
    ("Jiqiren", "机器人"),
    ("Zhisuan", "智算"),
    ("Shuzhi", "数智"),
    ("Xinpian", "芯片"),
    ("Dongli", "动力"),
    ("Rensheng", "仁升"),
    ("Shijie", "视界"),
    ("Yuyin", "语音"),
    ("Moxing", "模型"),
    ("Zhijia", "智驾"),
    ("Yiliao", "医疗"),
    ("Weilai", "未来"),
    ("Suanli", "算力"),
    ("Ruanjian", "软件"),
)
# (english, chinese, kind, city_en, city_zh, sector index)
_REAL_LABS = (
    ("OpenAI", "OpenAI", "San Francisco", "旧金山", 0),
    ("Anthropic", "Anthropic", "San Francisco", "旧金山", 0),
    ("xAI", "xAI", "Palo Alto", "帕洛阿尔托", 0),
    ("Mistral AI", "Mistral AI", "Paris", "巴黎", 0),
    ("Cohere", "Cohere", "Toronto", "多伦多", 4),
    ("Perplexity", "Perplexity", "San Francisco", "旧金山", 9),
    ("Safe Superintelligence", "SSI", "Palo Alto", "帕洛阿尔托", 0),
    ("Thinking Machines Lab", "Thinking Machines Lab", "San Francisco", "旧金山", 0),
    ("Figure AI", "Figure AI", "Sunnyvale", "森尼韦尔", 2),
    ("Physical Intelligence", "Physical Intelligence", "San Francisco", "旧金山", 10),
    ("Character.AI", "Character.AI", "Menlo Park", "门洛帕克", 0),
    ("Moonshot AI", "月之暗面", "Beijing", "北京", 0),
    ("Zhipu AI", "智谱", "Beijing", "北京", 0),
    ("MiniMax", "MiniMax稀宇科技", "Shanghai", "上海", 12),
    ("Baichuan", "百川智能", "Beijing", "北京", 0),
    ("StepFun", "阶跃星辰", "Shanghai", "上海", 12),
    ("01.AI", "零一万物", "Beijing", "北京", 0),
    ("DeepSeek", "深度求索", "Hangzhou", "杭州", 0),
    ("Unitree", "宇树科技", "Hangzhou", "杭州", 2),
    ("Galbot", "银河通用", "Beijing", "北京", 10),
    ("AgiBot", "智元机器人", "Shanghai", "上海", 2),
    ("Manus", "Manus", "Singapore", "新加坡", 4),
)
_SECTORS = (
    ("large language models", "大语言模型", "LLM developer"),
    ("AI coding assistants", "AI编程助手", "coding-tools startup"),
    ("humanoid robots", "人形机器人", "robotics company"),
    ("inference chips", "AI推理芯片", "chip designer"),
    ("AI agents for enterprises", "企业级AI智能体", "agent startup"),
    ("video-generation models", "视频生成模型", "video-AI startup"),
    ("autonomous-driving software", "自动驾驶软件", "self-driving startup"),
    ("AI-driven drug discovery", "AI药物研发", "biotech AI company"),
    ("speech and voice models", "语音大模型", "voice-AI startup"),
    ("AI search", "AI搜索", "AI search company"),
    ("embodied AI", "具身智能", "embodied-AI startup"),
    ("GPU cloud services", "AI算力云服务", "GPU cloud provider"),
    ("multimodal foundation models", "多模态基础模型", "foundation-model developer"),
    ("AI tools for lawyers", "法律AI工具", "legal-tech startup"),
    ("AI tutoring apps", "AI教育应用", "edtech AI startup"),
    ("AI models for chip design", "AI芯片设计工具", "EDA startup"),
)
_CITIES_EN = (
    ("San Francisco", "旧金山"),
    ("New York", "纽约"),
    ("London", "伦敦"),
    ("Paris", "巴黎"),
    ("Berlin", "柏林"),
    ("Toronto", "多伦多"),
    ("Seattle", "西雅图"),
    ("Boston", "波士顿"),
    ("Tel Aviv", "特拉维夫"),
    ("Zurich", "苏黎世"),
    ("Singapore", "新加坡"),
    ("Palo Alto", "帕洛阿尔托"),
    ("Austin", "奥斯汀"),
    ("Montreal", "蒙特利尔"),
)
_CITIES_CN = (
    ("Beijing", "北京"),
    ("Shanghai", "上海"),
    ("Shenzhen", "深圳"),
    ("Hangzhou", "杭州"),
    ("Guangzhou", "广州"),
    ("Suzhou", "苏州"),
    ("Chengdu", "成都"),
    ("Nanjing", "南京"),
    ("Wuhan", "武汉"),
    ("Hefei", "合肥"),
    ("Xi'an", "西安"),
    ("Hong Kong", "香港"),
)
_FIRST_EN = [
    "Maya",
    "Daniel",
    "Priya",
    "Tomas",
    "Lena",
    "Omar",
    "Grace",
    "Felix",
    "Aisha",
    "Jonah",
    "Noor",
    "Elena",
    "Marcus",
    "Ines",
    "Ravi",
    "Sofia",
    "Caleb",
    "Hana",
    "Victor",
    "Amara",
    "Julian",
    "Mei",
    "Theo",
    "Zara",
    "Luca",
    "Nadia",
    "Owen",
    "Keiko",
    "Samuel",
    "Ada",
]
_LAST_EN = [
    "Okafor",
    "Lindqvist",
    "Rao",
    "Brennan",
    "Castillo",
    "Haddad",
    "Whitfield",
    "Nakamura",
    "Petrov",
    "Adeyemi",
    "Kovacs",
    "Moreau",
    "Chandra",
    "Ellison",
    "Varga",
    "Osei",
    "Fischer",
    "Delgado",
    "Sato",
    "Mbeki",
    "Harlow",
    "Quinn",
    "Novak",
    "Tan",
]
_SURNAMES_ZH = (
    ("Wang", "王"),
    ("Li", "李"),
    ("Zhang", "张"),
    ("Liu", "刘"),
    ("Chen", "陈"),
    ("Yang", "杨"),
    ("Zhao", "赵"),
    ("Huang", "黄"),
    ("Zhou", "周"),
    ("Wu", "吴"),
    ("Xu", "徐"),
    ("Sun", "孙"),
    ("Ma", "马"),
    ("Zhu", "朱"),
    ("Hu", "胡"),
    ("Guo", "郭"),
    ("Lin", "林"),
    ("He", "何"),
)
_GIVEN_ZH = (
    ("Wei", "伟"),
    ("Fang", "芳"),
    ("Min", "敏"),
    ("Jing", "静"),
    ("Lei", "磊"),
    ("Yang", "洋"),
    ("Tao", "涛"),
    ("Ming", "明"),
    ("Chao", "超"),
    ("Xiuying", "秀英"),
    ("Hao", "浩"),
    ("Yifan", "一帆"),
    ("Zhiyuan", "致远"),
    ("Siyu", "思雨"),
    ("Jiahao", "嘉豪"),
    ("Yutong", "雨桐"),
    ("Zihan", "子涵"),
    ("Haoran", "浩然"),
    ("Xinyi", "欣怡"),
    ("Kai", "凯"),
)
_EMPLOYERS = (
    ("Google DeepMind", "谷歌DeepMind"),
    ("Microsoft Research", "微软研究院"),
    ("Meta", "Meta"),
    ("OpenAI", "OpenAI"),
    ("Baidu", "百度"),
    ("Alibaba", "阿里巴巴"),
    ("ByteDance", "字节跳动"),
    ("Tsinghua University", "清华大学"),
    ("Peking University", "北京大学"),
    ("Nvidia", "英伟达"),
    ("Tencent", "腾讯"),
    ("Stanford University", "斯坦福大学"),
    ("Apple", "苹果"),
    ("Huawei", "华为"),
    ("Carnegie Mellon University", "卡内基梅隆大学"),
)
# Real investors: (english, chinese, chinese-leaning?)
_REAL_INVESTORS = (
    ("Tencent", "腾讯", True),
    ("Alibaba", "阿里巴巴", True),
    ("Sequoia Capital", "红杉资本", False),
    ("HongShan", "红杉中国", True),
    ("CATL", "宁德时代", True),
    ("Microsoft", "微软", False),
    ("Nvidia", "英伟达", False),
    ("Google", "谷歌", False),
    ("Amazon", "亚马逊", False),
    ("SoftBank", "软银", False),
    ("Andreessen Horowitz", "a16z", False),
    ("Thrive Capital", "Thrive Capital", False),
    ("Lightspeed Venture Partners", "光速创投", False),
    ("General Catalyst", "General Catalyst", False),
    ("Meituan", "美团", True),
    ("Xiaomi", "小米", True),
    ("Hillhouse", "高瓴", True),
    ("IDG Capital", "IDG资本", True),
    ("Qiming Venture Partners", "启明创投", True),
    ("MGX", "MGX", False),
    ("Temasek", "淡马锡", False),
    ("GIC", "新加坡政府投资公司", False),
    ("Fidelity", "富达", False),
    ("Kleiner Perkins", "凯鹏华盈", False),
    ("Index Ventures", "Index Ventures", False),
    ("Coatue", "Coatue", False),
    ("Tiger Global", "老虎环球基金", False),
    ("Baidu", "百度", True),
    ("ByteDance", "字节跳动", True),
    ("Lenovo Capital", "联想创投", True),
    ("Sinovation Ventures", "创新工场", True),
    ("Matrix Partners China", "经纬创投", True),
)
_FUND_HEADS_EN = [
    "Northgate",
    "Bluewater",
    "Ironbridge",
    "Halden",
    "Crestline",
    "Granite",
    "Redwood",
    "Summit",
    "Lakeshore",
    "Aurora",
    "Foxglove",
    "Blackstone",
    "Silverline",
    "Harrow",
    "Peregrine",
    "Westbrook",
    "Stonefield",
    "Oakmont",
    "Riverbend",
    "Cedarpoint",
    "Longview",
    "Brightwater",
    "Highline",
    "Copperleaf",
    "Fairhaven",
    "Kingsley",
    "Ashgrove",
    "Tidewater",
    "Evergreen",
    "Skyward",
    "Pinecrest",
    "Marlow",
    "Wexford",
    "Sterling",
    "Hawthorn",
    "Larkspur",
    "Windward",
    "Ardent",
    "Polaris",
    "Clearwater",
    "Mosaic",
    "Keystone",
    "Lighthouse",
    "Parkway",
    "Morrow",
    "Hilltop",
    "Bayside",
    "Quarry",
]
_FUND_TAILS_EN = [
    "Capital",
    "Ventures",
    "Partners",
    "Growth",
    "Fund",
    "Investments",
    "Holdings",
    "Equity",
    "Venture Partners",
]
_FUND_HEADS_ZH = (
    ("Yuanhe", "源禾"),
    ("Jinqiao", "金桥"),
    ("Hongtai", "鸿泰"),
    ("Dingxin", "鼎信"),
    ("Huaying", "华颖"),
    ("Chengfeng", "乘风"),
    ("Xinghe", "星河"),
    ("Zhongding", "中鼎"),
    ("Lianchuang", "联创"),
    ("Boyuan", "博源"),
    ("Tianying", "天鹰"),
    ("Jiayu", "嘉御"),
    ("Shanhai", "山海"),
    ("Qianhai", "前海"),
    ("Guangyao", "光耀"),
    ("Ruifeng", "瑞丰"),
    ("Mingde", "明德"),
    ("Chunhua", "春华"),
    ("Yuanzhi", "远致"),
    ("Kaixuan", "凯旋"),
    ("Dongfang", "东方"),
    ("Huajin", "华金"),
    ("Yingke", "盈科"),
    ("Jinsha", "金沙"),
    ("Songhe", "松禾"),
    ("Fengrui", "峰瑞"),
    ("Qingsong", "青松"),
    ("Baiyun", "白云"),
    ("Xinrui", "鑫瑞"),
    ("Dasheng", "大晟"),
)
_FUND_TAILS_ZH = (
    ("Capital", "资本"),
    ("Ventures", "创投"),
    ("Fund", "基金"),
    ("Investment", "投资"),
    ("Industrial Fund", "产业基金"),
)
_STATE_FUNDS = tuple(
    (f"{en} AI Industry Fund", f"{zh}人工智能产业基金") for en, zh in _CITIES_CN[:10]
)

# Ladder of round labels: (english, chinese, typical post-money valuation range, USD millions)
_LADDER = (
    ("seed", "种子轮", (5, 40)),
    ("angel", "天使轮", (4, 30)),
    ("pre-Series A", "Pre-A轮", (20, 90)),
    ("Series A", "A轮", (40, 300)),
    ("Series A+", "A+轮", (70, 450)),
    ("Series B", "B轮", (150, 1200)),
    ("Series B+", "B+轮", (250, 1800)),
    ("Series C", "C轮", (500, 4000)),
    ("Series C+", "C+轮", (700, 6000)),
    ("Series D", "D轮", (1200, 10000)),
    ("Series E", "E轮", (2000, 20000)),
    ("Series F", "F轮", (3000, 40000)),
)


def _build_pools():
    prng = random.Random("roundtrace-synthetic-pools-v1")
    en = [f"{h} {t}" for h in _EN_HEADS for t in _EN_TAILS]
    prng.shuffle(en)
    cn = [(f"{hp} {tp}", hz + tz) for hp, hz in _CN_HEADS for tp, tz in _CN_TAILS]
    prng.shuffle(cn)
    companies = []
    for name in en[:1300]:
        city_en, city_zh = prng.choice(_CITIES_EN)
        companies.append((name, name, "en", city_en, city_zh, prng.randrange(len(_SECTORS))))
    for name_en, name_zh in cn[:700]:
        city_en, city_zh = prng.choice(_CITIES_CN)
        companies.append((name_en, name_zh, "cn", city_en, city_zh, prng.randrange(len(_SECTORS))))
    funds = []
    fen = [f"{h} {t}" for h in _FUND_HEADS_EN for t in _FUND_TAILS_EN]
    prng.shuffle(fen)
    funds += [(n, n, False) for n in fen[:330]]
    fzh = [(f"{hp} {tp}", hz + tz) for hp, hz in _FUND_HEADS_ZH for tp, tz in _FUND_TAILS_ZH]
    prng.shuffle(fzh)
    funds += [(e, z, True) for e, z in fzh[:140]]
    funds += [(e, z, True) for e, z in _STATE_FUNDS]
    corp_en = ("Holdings", "Group", "Technologies", "Industries")
    for h in _FUND_HEADS_EN[:20]:
        n = f"{h} {prng.choice(corp_en)}"
        funds.append((n, n, False))
    return companies, funds


_COMPANIES, _FUNDS = _build_pools()
_INVESTORS = tuple(_FUNDS) + _REAL_INVESTORS
_INV_CN = tuple(x for x in _INVESTORS if x[2])
_INV_EN = tuple(x for x in _INVESTORS if not x[2])

# Outlets cited as sources: (english, chinese, is_chinese_outlet)
_REAL_OUTLETS = (
    ("The Information", "The Information", False),
    ("Reuters", "路透社", False),
    ("Bloomberg", "彭博社", False),
    ("the Financial Times", "英国《金融时报》", False),
    ("The Wall Street Journal", "《华尔街日报》", False),
    ("36Kr", "36氪", True),
    ("LatePost", "晚点LatePost", True),
    ("Caixin", "财新", True),
    ("Jiemian", "界面新闻", True),
    ("Yicai", "第一财经", True),
)
_INVENTED_OUTLETS = (
    ("The Compute Dispatch", "算力观察", False),
    ("Capital Signal", "资本信号", False),
    ("The Frontier Memo", "前沿备忘录", False),
    ("Starmap Finance", "星图财经", True),
    ("Round Table Daily", "圆桌日报", False),
    ("Acute Angle Review", "锐角评论", True),
)
_PUB_STYLES_EN = (
    "Example Daily",
    "Sample Tech Wire",
    "Demo Business Review",
    "Example Capital Journal",
    "Placeholder Times",
    "Sample Markets Report",
)
_PUB_STYLES_ZH = ("示例财经", "样本科技", "演示商业评论", "示例创投日报")
_PUB_STYLES_HANT = ("範例財經", "樣本科技報", "示範商業周刊")
_TLDS = ("example.com", "example.org", "example.net")

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAYS_ZH = "一二三四五六日"

# Simplified -> Traditional character map covering the characters used in the templates.
_S = (
    "们这个为发业东两严临丰举义乐习书买争于亿从仓价众优会伟传伤体侧债倾储儿关兴养兽内写军农"
    "决况净准几击创删别则刚剧办务动劳势区医华协单卖卫厂历压县参双变号叶听启员响问国图圆场块"
    "坚报声处备复头夺奋奖学宁实宝审宽对导将尔尽层属岁岛币师带帮广库应庆开异张强归当录彻径总"
    "惊愿战户执扩扫扬扰担拟拥择挂换据损摄数断无旧时显暂术机杂权条来极构标样档桥检欢残毕气汇"
    "汉没沟泽洁测济浓涨润渐满灵热点烟爱独献现环电画疗监盘码础确离种积称稳竞笔签简类紧纪约级"
    "纳纷线组细经结给络统继绩续维综网罗联职聪胜脑腾舰节营获虑虽补规视览计认让议讯记讲许论设"
    "访证评识诉试话询详语误说请调谈谋贝负财责贡败账货质贷费资赛赵车转轮软轻载输边达过运还进"
    "远连选递逻邮采释钱铁银链销锋长门闭间闻阅队阶际陆险随难领题颖风飞馆驱验鱼齐龙产亚仅孙刘"
    "陈杨吴郑邓冯韩云态划额后万该团营亏损盈训练宇树阶跃谷软马黄鸿鹏鲲濛诚众约纽伦盛顿哥旧绍"
    "园锐观备忘淡锡丰鑫华颖乘鼎泰凯旋东盈晟禾峰瑞青赢骤规仿为须尝帅馈渠创晓晖维苏厦杭广"
    "汉肃浔岭页奥尔兰苏黎萨辑录赞坛页项资举荐务辆筹挤赶还纲"
    "终着预驾专寻阳枢蓝鸣谱驶鹰涛药频镜静瑶逊红编纬与"
)
_T = (
    "們這個為發業東兩嚴臨豐舉義樂習書買爭於億從倉價眾優會偉傳傷體側債傾儲兒關興養獸內寫軍農"
    "決況淨準幾擊創刪別則剛劇辦務動勞勢區醫華協單賣衛廠歷壓縣參雙變號葉聽啟員響問國圖圓場塊"
    "堅報聲處備復頭奪奮獎學寧實寶審寬對導將爾盡層屬歲島幣師帶幫廣庫應慶開異張強歸當錄徹徑總"
    "驚願戰戶執擴掃揚擾擔擬擁擇掛換據損攝數斷無舊時顯暫術機雜權條來極構標樣檔橋檢歡殘畢氣匯"
    "漢沒溝澤潔測濟濃漲潤漸滿靈熱點煙愛獨獻現環電畫療監盤碼礎確離種積稱穩競筆簽簡類緊紀約級"
    "納紛線組細經結給絡統繼績續維綜網羅聯職聰勝腦騰艦節營獲慮雖補規視覽計認讓議訊記講許論設"
    "訪證評識訴試話詢詳語誤說請調談謀貝負財責貢敗賬貨質貸費資賽趙車轉輪軟輕載輸邊達過運還進"
    "遠連選遞邏郵採釋錢鐵銀鏈銷鋒長門閉間聞閱隊階際陸險隨難領題穎風飛館驅驗魚齊龍產亞僅孫劉"
    "陳楊吳鄭鄧馮韓雲態劃額後萬該團營虧損盈訓練宇樹階躍谷軟馬黃鴻鵬鯤濛誠眾約紐倫盛頓哥舊紹"
    "園銳觀備忘淡錫豐鑫華穎乘鼎泰凱旋東盈晟禾峰瑞青贏驟規仿為須嘗帥饋渠創曉暉維蘇廈杭廣"
    "漢肅潯嶺頁奧爾蘭蘇黎薩輯錄讚壇頁項資舉薦務輛籌擠趕還綱"
    "終著預駕專尋陽樞藍鳴譜駛鷹濤藥頻鏡靜瑤遜紅編緯與"
)
assert len(_S) == len(_T), (len(_S), len(_T))
_TO_HANT = str.maketrans(_S, _T)
# word-level fixes applied after the character map (Taiwan usage)
_HANT_WORDS = (
    ("軟體", "軟體"),
    ("芯片", "晶片"),
    ("用戶", "用戶"),
    ("信息", "資訊"),
    ("首席執行官", "執行長"),
    ("視頻", "影片"),
    ("網絡", "網路"),
)


def _to_hant(text: str) -> str:
    text = text.translate(_TO_HANT)
    for a, b in _HANT_WORDS:
        text = text.replace(a, b)
    return text


# ---------------------------------------------------------------------------
# Number formatting
# ---------------------------------------------------------------------------


def _nice(x: float) -> float:
    """Round to two significant digits."""
    if x <= 0:
        return 1.0
    e = 10.0 ** (math.floor(math.log10(x)) - 1)
    return round(x / e) * e


def _num(x: float, sep: bool = True) -> str:
    if x >= 10 or abs(x - round(x)) < 1e-6:
        return f"{round(x):,}" if sep else str(round(x))
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return s


def _en_money(m: float, cur: str, style: int = 0) -> str:
    """m is in millions of the currency."""
    if m >= 1000:
        n, unit = _num(m / 1000), "billion"
    elif m < 1:
        n = f"{round(m * 1_000_000):,}"
        return f"${n}" if cur == "USD" else (f"CNY {n}" if style == 1 else f"{n} yuan")
    else:
        n, unit = _num(m), "million"
    if cur == "USD":
        return f"${n} {unit}"
    if style == 1:
        return f"CNY {n} {unit}"
    if style == 2:
        return f"{n} {unit} renminbi"
    return f"{n} {unit} yuan"


def _en_range(lo: float, hi: float, cur: str, style: int) -> str:
    same_b = lo >= 1000 and hi >= 1000
    same_m = lo < 1000 and hi < 1000
    if cur == "USD" and style == 0 and (same_b or same_m):
        d = 1000 if same_b else 1
        unit = "billion" if same_b else "million"
        return f"${_num(lo / d)}-{_num(hi / d)} {unit}"
    if style == 1:
        return f"{_en_money(lo, cur)} to {_en_money(hi, cur)}"
    return f"between {_en_money(lo, cur)} and {_en_money(hi, cur)}"


def _zh_money(m: float, cur: str, style: int = 0) -> str:
    unit = "美元" if cur == "USD" else ("元" if style == 0 else "元人民币")
    if m >= 1_000_000:
        return f"{_num(m / 1_000_000, False)}万亿{unit}"
    if m >= 100:
        return f"{_num(m / 100, False)}亿{unit}"
    return f"{_num(m * 100, False)}万{unit}"


def _zh_count(millions: float) -> str:
    if millions >= 100:
        return f"{_num(millions / 100, False)}亿"
    return f"{_num(millions * 100, False)}万"


def _zh_range(lo: float, hi: float, cur: str, style: int) -> str:
    unit = "美元" if cur == "USD" else "元"
    if lo >= 100 and hi < 1_000_000:
        a, b = _num(lo / 100, False), _num(hi / 100, False)
        if style == 0:
            return f"{a}-{b}亿{unit}"
        if style == 1:
            return f"{a}亿至{b}亿{unit}"
        return f"{a}亿到{b}亿{unit}"
    return f"{_zh_money(lo, cur)}至{_zh_money(hi, cur)}"


_BOUND_KINDS = ("exact", "above", "upto", "about", "range")
_BOUND_WEIGHTS = (30, 22, 14, 22, 12)
_EN_ABOVE = ("more than", "over", "above", "upwards of", "in excess of")
_EN_UPTO = ("up to", "as much as", "no more than")
_EN_ABOUT = ("about", "around", "roughly", "approximately", "nearly", "close to")
_ZH_ABOVE = ("超过{}", "逾{}", "{}以上", "超{}")
_ZH_UPTO = ("最高{}", "至多{}", "不超过{}", "最多{}")
_ZH_ABOUT = ("约{}", "近{}", "大约{}", "{}左右")


def _bounded(lang, kind, v, lo, hi, cur, rng, gloss):
    """Render a bounded monetary figure.  Returns a string."""
    en = lang == "en"
    style = rng.randrange(3)
    if kind == "range":
        s = _en_range(lo, hi, cur, style) if en else _zh_range(lo, hi, cur, style)
        gv = hi
    else:
        base = _en_money(v, cur, style) if en else _zh_money(v, cur, style % 2)
        gv = v
        if kind == "above":
            s = f"{rng.choice(_EN_ABOVE)} {base}" if en else rng.choice(_ZH_ABOVE).format(base)
        elif kind == "upto":
            s = f"{rng.choice(_EN_UPTO)} {base}" if en else rng.choice(_ZH_UPTO).format(base)
        elif kind == "about":
            s = f"{rng.choice(_EN_ABOUT)} {base}" if en else rng.choice(_ZH_ABOUT).format(base)
        else:
            s = base
    if gloss and kind != "range":
        if cur == "CNY":
            usd = _nice(gv / USD_CNY)
            s += f" ({_en_money(usd, 'USD')})" if en else f"（约合{_zh_money(usd, 'USD')}）"
        elif not en:
            s += f"（约合{_zh_money(_nice(gv * USD_CNY), 'CNY', 1)}）"
    return s


# ---------------------------------------------------------------------------
# Rounds
# ---------------------------------------------------------------------------


def _mix(*vals: int) -> int:
    """splitmix64-style integer hash (fast, deterministic)."""
    h = 0x9E3779B97F4A7C15
    for v in vals:
        h = (h ^ (v & 0xFFFFFFFFFFFFFFFF)) * 0xBF58476D1CE4E5B9 & 0xFFFFFFFFFFFFFFFF
        h = (h ^ (h >> 27)) * 0x94D049BB133111EB & 0xFFFFFFFFFFFFFFFF
        h ^= h >> 31
    return h


def _round_weight(seed: int, r: int) -> float:
    u = (_mix(seed, r, 77) % 10_000) / 10_000
    return 0.3 + 3.0 * u**3


def _pick_round(i: int, seed: int, rng: random.Random) -> int:
    base = i // ARTICLES_PER_ROUND
    lo = max(0, base - ROUND_WINDOW + 1)
    ids = range(lo, base + 1)
    weights = [_round_weight(seed, r) for r in ids]
    return rng.choices(ids, weights)[0]


@lru_cache(maxsize=4)
def _company_perm(seed: int) -> tuple:
    perm = list(range(len(_COMPANIES)))
    random.Random(f"roundtrace-company-perm:{seed}").shuffle(perm)
    return tuple(perm)


class _Round:
    __slots__ = (
        "rid",
        "company",
        "label_en",
        "label_zh",
        "ladder",
        "cur",
        "val",
        "val_lo",
        "val_hi",
        "val_target",
        "val_final",
        "amount",
        "amount_final",
        "leads",
        "parts",
        "talks",
        "considering",
        "prev_label_en",
        "prev_label_zh",
        "prev_val",
        "prev_year",
        "date",
        "primary",
        "primary_status",
        "primary_vkind",
        "primary_akind",
        "closes",
        "close_after",
        "founded",
        "founder_en",
        "founder_zh",
        "employer",
        "employees",
        "revenue",
        "gpus",
        "chip",
        "rival",
        "rival_val",
        "rival_year",
        "stake",
        "users",
        "growth",
        "profit_year",
    )


def _choose_investors(rng, cn_lean: bool, k: int, exclude=()) -> list:
    out = []
    while len(out) < k:
        home = rng.random() < (0.75 if cn_lean else 0.88)
        pool = (_INV_CN if home else _INV_EN) if cn_lean else (_INV_EN if home else _INV_CN)
        inv = rng.choice(pool)
        if inv not in out and inv not in exclude:
            out.append(inv)
    return out


@lru_cache(maxsize=8192)
def _round(rid: int, seed: int, start_ord: int) -> _Round:
    rng = random.Random(f"roundtrace-round:{seed}:{rid}")
    R = _Round()
    R.rid = rid
    start = dt.date.fromordinal(start_ord)
    if rid % 25 == 7:  # well-known labs: ~4% of rounds
        k = rid // 25
        en, zh, city_en, city_zh, sec = _REAL_LABS[k % len(_REAL_LABS)]
        company = (en, zh, "real", city_en, city_zh, sec)
        step = 7 + k // len(_REAL_LABS)
    else:
        j = rid - rid // 25 - (1 if rid % 25 > 7 else 0)
        perm = _company_perm(seed)
        company = _COMPANIES[perm[j % len(perm)]]
        step = (_mix(seed, perm[j % len(perm)]) % 6) + 2 * (j // len(perm))
    R.company = company
    if step < len(_LADDER):
        R.label_en, R.label_zh, (vlo, vhi) = _LADDER[step]
    else:
        letter = chr(ord("F") + step - len(_LADDER) + 1)
        if letter > "Z":
            letter = f"Z-{ord(letter) - ord('Z') + 1}"
        R.label_en, R.label_zh = f"Series {letter}", f"{letter}轮"
        vlo, vhi = 4000, 60000
    if company[2] == "real":
        vlo, vhi = max(vlo, 5000), max(vhi, 300000)
    R.ladder = step
    prev = _LADDER[max(0, min(step, len(_LADDER)) - 1)]
    R.prev_label_en, R.prev_label_zh = prev[0], prev[1]
    v_usd = math.exp(rng.uniform(math.log(vlo), math.log(vhi)))
    R.cur = "CNY" if company[2] == "cn" and rng.random() < 0.6 else "USD"
    fx = USD_CNY if R.cur == "CNY" else 1.0
    R.val = _nice(v_usd * fx)
    R.val_lo = _nice(R.val * rng.uniform(0.82, 0.92))
    R.val_hi = _nice(R.val * rng.uniform(1.02, 1.1))
    if R.val_hi <= R.val_lo:
        R.val_hi = _nice(R.val_lo * 1.15)
    R.val_target = _nice(R.val * rng.uniform(0.7, 0.92))
    R.val_final = _nice(R.val * rng.uniform(1.0, 1.12))
    R.amount = _nice(R.val * rng.uniform(0.06, 0.22))
    R.amount_final = _nice(R.amount * rng.uniform(1.0, 1.25))
    R.prev_val = _nice(R.val * rng.uniform(0.2, 0.6))
    R.prev_year = start.year - rng.randrange(0, 2)
    cn_lean = company[2] == "cn" or (
        company[2] == "real" and company[3] in ("Beijing", "Shanghai", "Hangzhou")
    )
    R.leads = _choose_investors(rng, cn_lean, 1 if rng.random() < 0.8 else 2)
    R.parts = _choose_investors(rng, cn_lean, rng.randrange(0, 5), R.leads)
    R.talks = _choose_investors(rng, cn_lean, rng.randrange(0, 3), R.leads + R.parts)
    R.considering = _choose_investors(
        rng, cn_lean, rng.randrange(0, 2), R.leads + R.parts + R.talks
    )
    R.date = start + dt.timedelta(days=rng.randrange(SPAN_DAYS))
    if rng.random() < 0.6:
        src = rng.choice(_REAL_OUTLETS)
        R.primary = (src[0], src[1], None)
    elif rng.random() < 0.5:
        src = rng.choice(_INVENTED_OUTLETS)
        R.primary = (src[0], src[1], None)
    else:
        p = rng.randrange(1, 700)
        name = f"{_PUB_STYLES_EN[p % len(_PUB_STYLES_EN)]} {p}"
        R.primary = (name, name, p)
    R.closes = rng.random() < 0.6
    R.close_after = rng.randrange(10, 60)
    R.primary_status = "closed" if rng.random() < 0.25 else "talks"
    if R.primary_status == "closed":
        R.closes, R.close_after = True, 0
    R.primary_vkind = rng.choices(_BOUND_KINDS, _BOUND_WEIGHTS)[0]
    R.primary_akind = rng.choices(_BOUND_KINDS, _BOUND_WEIGHTS)[0]
    R.founded = R.date.year - rng.randrange(1, 9)
    fz = rng.choice(_SURNAMES_ZH), rng.choice(_GIVEN_ZH)
    if company[2] == "cn":
        R.founder_en = f"{fz[0][0]} {fz[1][0]}"
        R.founder_zh = fz[0][1] + fz[1][1]
    else:
        R.founder_en = f"{rng.choice(_FIRST_EN)} {rng.choice(_LAST_EN)}"
        R.founder_zh = R.founder_en
    R.employer = rng.choice(_EMPLOYERS)
    R.employees = rng.choice((18, 25, 40, 60, 85, 120, 150, 200, 300, 450, 700, 1200))
    R.revenue = _nice(R.val * rng.uniform(0.01, 0.08))
    scale = math.log10(v_usd)  # ~0.7 (seed) .. ~5.7 (largest labs)
    gpu_opts = (512, 1024, 2000, 4096, 8000, 10000, 16000, 25000, 50000, 100000)
    R.gpus = gpu_opts[min(9, max(0, int(scale * 1.7) + rng.randrange(-1, 2)))]
    R.chip = rng.choice(("H100", "H200", "H20", "A100", "B200", "GB200"))
    other = _COMPANIES[_mix(seed, rid, 5) % len(_COMPANIES)]
    R.rival = other
    R.rival_val = _nice(R.val * rng.uniform(0.3, 2.5))
    R.rival_year = R.date.year - rng.randrange(1, 3)
    R.stake = rng.choice((3, 5, 6.5, 8, 10, 12, 15, 18, 20))
    user_opts = (0.5, 1.2, 3, 8, 15, 30, 60, 120)
    R.users = user_opts[min(7, max(0, int(scale * 1.3) + rng.randrange(-1, 2)))]
    R.growth = rng.choice((40, 80, 150, 200, 300, 500))
    R.profit_year = R.date.year + rng.randrange(1, 5)
    return R


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------

_EN_LEDE = {
    "early": (
        "{co}, the {city}-based {kind}, is seeking to raise {amt} at a target valuation of "
        "{tval}, {attr}.",
        "{co} has started sounding out investors about a new funding round that could value "
        "the company at {tval}, {attr}.",
        "{desc} {co} is exploring a fundraising that would value it at {tval}, {attr}.",
        "{co} is looking to raise {amt} in {label_a} round, {attr}, with a target valuation "
        "of {tval}.",
    ),
    "talks": (
        "{co}, the {city}-based developer of {product}, is in talks to raise {amt} in a "
        "funding round that would value it at {val}, {attr}.",
        "{co} is in discussions with investors about {label_a} round at a valuation of "
        "{val}, {attr}.",
        "{lead} {lead_is} in advanced talks to lead a {amt} investment in {co}, {attr}, in a deal "
        "that could value the {kind} at {val}.",
        "{desc} {co} is close to finalizing a new round of funding that would value it at "
        "{val}, {attr}.",
        "{co} is reportedly raising {amt} at a valuation of {val}, {attr}.",
        "Investors are lining up to back {co}: the {kind} is negotiating a round that would "
        "value it at {val}, {attr}.",
    ),
    "closed": (
        "{co} said on {weekday} it had raised {amt} in {label_a} round led by {lead}, "
        "valuing the {city}-based {kind} at {val}.",
        "{co}, which develops {product}, has closed {label_a} round of {amt} at a "
        "post-money valuation of {val}, {attr}.",
        "{desc} {co} has completed a {amt_exact} {label} round, {attr}. The deal values "
        "the company at {val}.",
        "{lead} {lead_has} led a {amt_exact} investment in {co}, the companies announced on "
        "{weekday}, giving the {kind} a valuation of {val}.",
    ),
}
_EN_DESC = (
    "Artificial intelligence startup",
    "Chinese AI startup",
    "AI startup",
    "Fast-growing",
    "Venture-backed",
    "Two-year-old",
    "Closely watched",
)
_EN_ATTR_REAL = (
    "according to {src}",
    "{src} reported, citing people familiar with the matter",
    "{src} reported on {weekday}",
    "according to a report by {src}",
    "{src} reported, citing two people with knowledge of the talks",
)
_EN_ATTR_ANON = (
    "according to people familiar with the matter",
    "people familiar with the matter said",
    "according to two people with knowledge of the discussions",
    "according to a person briefed on the plans",
    "sources said",
)
_EN_INVESTORS = (
    "{lead} {lead_is} leading the round{parts_clause}.",
    "The round is being led by {lead}{parts_clause}, the people said.",
    "{lead} {lead_is} expected to lead the financing{parts_clause}.",
)
_EN_INVESTORS_CLOSED = (
    "The financing was led by {lead}{parts_clause}.",
    "{lead} led the round{parts_clause}, according to a statement.",
    "{lead} anchored the round{parts_clause}.",
)
_EN_TALKS = (
    "{inv} {be} also in talks to invest, one of the people said.",
    "{inv} {have} held discussions about joining the round.",
    "{inv} {be} in talks to participate, according to a separate person.",
)
_EN_CONSIDER = (
    "{inv} is considering an investment but has not made a final decision.",
    "{inv} could also take part, though talks are at an early stage.",
    "{inv} is weighing whether to invest, the people said.",
)
_EN_EARLIER = (
    "Earlier talks had pegged the company's valuation at {tval}.",
    "When the discussions began, {co} was targeting a valuation of {tval}, people familiar "
    "with the matter said at the time.",
    "The company had initially sought a valuation of {tval}, according to earlier reports.",
    "Earlier this year, {co} was said to be discussing a valuation closer to {tval}.",
)
_EN_PREV = (
    "{co} was valued at {pval} in its {plabel} round in {pyear}.",
    "The new valuation would be a big jump from the {pval} the company fetched in its "
    "{plabel} financing in {pyear}.",
    "In {pyear}, a {plabel} round valued the company at {pval}.",
)
_EN_BACKGROUND = (
    "Founded in {founded} by {founder}, a former researcher at {employer}, {co} develops "
    "{product}. It has about {employees} employees.",
    "{co} was started in {founded} by {founder}, who previously worked at {employer}. The "
    "company, which employs around {employees} people, focuses on {product}.",
    "{founder}, {co}'s chief executive, spent several years at {employer} before founding "
    "the company in {founded}.",
)
_EN_FILLER = (
    "{co}'s annualized revenue reached {rev} recently, up from a much smaller base a year "
    "ago, one of the people said. Revenue grew about {growth}% year over year.",
    "The company plans to spend much of the new capital on computing power. It currently "
    "runs a cluster of roughly {gpus} Nvidia {chip} chips and hopes to double that by "
    "{pyear2}.",
    "Rival {rival} was valued at {rval} in its last round in {ryear}.",
    "After the deal, {lead} would own roughly {stake}% of the company, the people said.",
    "{co} has told investors it expects to turn profitable by {profit_year}.",
    "Its consumer app has about {users} million monthly active users, according to "
    "third-party estimates, though the company has not disclosed official figures.",
    "Investors poured record sums into AI startups in {ryear}, with the largest deals "
    "concentrated among a handful of model developers, according to data from Ledgerline "
    "Analytics.",
    "The talks come as competition for AI talent and computing capacity intensifies. "
    "Several rivals have raised money at steep valuations in recent months, and some "
    "investors have warned that prices are running ahead of revenue.",
    "The terms are not final and could still change, the people cautioned, asking not to "
    "be identified because the discussions are private.",
    "In {ryear}, {rival} raised {ramt} from a group of investors including {other_inv}.",
    "The company sells its software mainly to large enterprises in finance, manufacturing "
    "and healthcare, and says more than {customers} customers now pay for its products.",
    "Training a frontier-scale model can cost hundreds of millions of dollars, and "
    "companies in the sector have been racing to secure chips years in advance.",
    "{co} has also been in discussions with chip suppliers about a long-term supply deal "
    "covering up to {gpus2} accelerators, one of the people said.",
    "Some of the money would go toward hiring, with the company aiming to roughly double "
    "its headcount of about {employees} over the next {months} months.",
)
_EN_CLOSING = (
    "{co} declined to comment.",
    "{co} did not respond to a request for comment.",
    "A spokesperson for {co} declined to comment on the fundraising.",
    "{lead} declined to comment. {co} did not immediately respond to a request for comment.",
    "Representatives for {co} and {lead} did not reply to requests for comment.",
)
_EN_RELAY = (
    "{co} is in talks to raise {amt} at a valuation of {val}, {psrc} reported on "
    "{pweekday}, citing people familiar with the matter.",
    "{co} is raising {amt} in a round that would value it at {val}, according to a report "
    "published by {psrc} on {pdate_en}.",
    "{psrc} reported on {pdate_en} that {co} was nearing a deal to raise {amt} at a "
    "valuation of {val}.",
)
_EN_RELAY_CLOSED = (
    "{co} has raised {amt} at a valuation of {val}, {psrc} reported on {pweekday}.",
    "{co} closed a funding round of {amt} that values it at {val}, according to a report "
    "published by {psrc} on {pdate_en}.",
)
_EN_RELAY_NOTE = (
    "{self} could not immediately verify the report.",
    "{self} was unable to independently confirm the details of the report.",
    "The report by {psrc} did not say when the round is expected to close.",
)
_EN_TITLES = {
    "early": (
        "{co} seeks funding at {tval} valuation",
        "{co} sounds out investors for new round",
        "{co_short} targets {tval} valuation in new raise",
    ),
    "talks": (
        "{co} in talks to raise {amt} at {val} valuation",
        "{co} nears funding deal valuing it at {val}",
        "{lead} in talks to lead investment in {co}",
        "AI startup {co} said to discuss round at {val} valuation",
        "Report: {co} raising {amt}",
    ),
    "closed": (
        "{co} raises {amt_exact} in {label} round led by {lead}",
        "{co} valued at {val} after new funding",
        "{co} closes {label} round: {amt_exact} at {val} valuation",
    ),
}

_ZH_LEDE = {
    "early": (
        "{attr}，{city}{kind}{co}正寻求以{tval}的估值融资{amt}。",
        "{attr}，{co}已开始接触投资人，计划启动新一轮融资，目标估值{tval}。",
        "{co}正在筹备{label}融资，{attr}，本轮目标估值{tval}，拟融资{amt}。",
    ),
    "talks": (
        "{attr}，{co}正在洽谈新一轮融资，拟融资{amt}，估值{val}。",
        "{attr}，专注于{product}的{co}正与多家投资机构洽谈{label}融资，本轮估值{val}。",
        "{time_zh}，有消息称{co}正在进行新一轮融资，{lead}有望领投，本轮估值{val}。",
        "{attr}，{city}{kind}{co}的新一轮融资已接近完成，融资规模{amt}，估值{val}。",
    ),
    "closed": (
        "{co}{time_zh}宣布完成{amt}{label}融资，本轮由{lead}领投，投后估值{val}。",
        "{time_zh}，{city}{kind}{co}官宣完成{label}融资，融资金额{amt}，估值{val}。",
        "{attr}，{co}已完成{label}融资，融资金额{amt}，{lead}领投，投后估值{val}。",
    ),
}
_ZH_ATTR_SRC = ("据{src}报道", "据{src}消息", "{src}援引知情人士的话报道", "{src}报道称")
_ZH_ATTR_ANON = ("知情人士透露", "据知情人士透露", "据悉", "有接近交易的人士表示", "据了解")
_ZH_INVESTORS = (
    "本轮由{lead}领投{parts_clause}。",
    "据悉，本轮融资拟由{lead}领投{parts_clause}。",
    "{lead}有望成为本轮领投方{parts_clause}。",
)
_ZH_INVESTORS_CLOSED = (
    "本轮由{lead}领投{parts_clause}。",
    "据悉，本轮融资由{lead}领投{parts_clause}。",
    "{lead}为本轮领投方{parts_clause}。",
)
_ZH_TALKS = (
    "{inv}也在洽谈参与本轮投资。",
    "据悉，{inv}正与该公司洽谈投资事宜。",
    "另有消息称，{inv}正在洽谈跟投。",
)
_ZH_CONSIDER = ("{inv}也在考虑参与，但尚未做出最终决定。", "{inv}正在评估是否参与本轮融资。")
_ZH_EARLIER = (
    "此前有消息称，{co}本轮的目标估值{tval}。",
    "早些时候的谈判中，该公司提出的目标估值{tval}。",
    "据此前报道，{co}最初寻求{tval}的估值。",
)
_ZH_PREV = (
    "{pyear}年，{co}在{plabel}融资中的估值为{pval}。",
    "相比{pyear}年{plabel}融资时{pval}的估值，此次估值大幅上涨。",
)
_ZH_BACKGROUND = (
    "{co}成立于{founded}年，创始人{founder}曾在{employer}担任研究员，公司主要从事{product}"
    "研发，目前员工约{employees}人。",
    "公开资料显示，{co}成立于{founded}年，总部位于{city}，专注于{product}。创始人{founder}"
    "此前供职于{employer}。",
    "{co}创始人兼首席执行官{founder}曾任职于{employer}，{founded}年创立了这家公司。",
)
_ZH_FILLER = (
    "知情人士称，{co}的年化收入已达到{rev}，同比增长约{growth}%。",
    "该公司计划将大部分资金用于算力建设。目前{co}拥有约{gpus}张英伟达{chip}显卡，计划在"
    "{pyear2}年前将规模扩大一倍。",
    "竞争对手{rival}在{ryear}年的最新一轮融资中估值为{rval}。",
    "本轮完成后，{lead}将持有该公司约{stake}%的股份。",
    "{co}预计将在{profit_year}年实现盈利。",
    "第三方数据显示，{co}旗下应用的月活跃用户约为{users}。",
    "据睿图数据统计，{ryear}年国内人工智能领域融资事件超过{events}起，大额融资集中在少数大模"
    "型公司。",
    "业内人士指出，随着大模型竞争加剧，算力和人才成本持续上升，头部公司融资节奏明显加快，"
    "但也有投资人担心估值增长过快。",
    "知情人士提醒，交易条款尚未最终确定，仍可能发生变化。",
    "{ryear}年，{rival}曾完成{ramt}融资，投资方包括{other_inv}。",
    "目前，{co}的客户主要集中在金融、制造和医疗等行业，付费客户已超过{customers}家。",
    "此外，{co}还在与芯片供应商洽谈长期供货协议，涉及最多{gpus2}张加速卡。",
    "新一轮资金还将用于人才招聘，公司计划在未来{months}个月内将团队规模扩大至约{employees2}人。",
)
_ZH_CLOSING = (
    "截至发稿，{co}未回应置评请求。",
    "{co}对此不予置评。",
    "对于上述消息，{co}方面回应称“不予置评”。",
    "{lead}未就此事发表评论。",
)
_ZH_RELAY = (
    "据{psrc}{pdate_zh}报道，{co}正在洽谈新一轮融资，拟融资{amt}，估值{val}。",
    "{psrc}{pdate_zh}援引知情人士的话报道称，{co}正以{val}的估值融资{amt}。",
)
_ZH_RELAY_CLOSED = ("据{psrc}{pdate_zh}报道，{co}已完成{amt}融资，估值{val}。",)
_ZH_RELAY_NOTE = ("{self}尚未独立核实上述报道。", "{psrc}的报道未提及本轮融资的具体完成时间。")
_ZH_TITLES = {
    "early": ("消息称{co}寻求新一轮融资，目标估值{tval}", "{co}启动新一轮融资"),
    "talks": (
        "消息称{co}正洽谈新一轮融资，估值{val}",
        "{co}拟融资{amt}，{lead}有望领投",
        "{co}估值或达{val}",
    ),
    "closed": (
        "{co}完成{amt_exact}{label}融资，{lead}领投",
        "{co}完成{label}融资，投后估值{val}",
        "“{co}”宣布完成新一轮融资",
    ),
}
_ZH_KIND = ("AI公司", "人工智能初创公司", "大模型公司", "科技公司", "初创企业")


# ---------------------------------------------------------------------------
# Article assembly
# ---------------------------------------------------------------------------


def _list_en(names: list) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _list_zh(names: list) -> str:
    return "、".join(names)


def _status_for(R: _Round, offset: int) -> str:
    if offset < -5:
        return "early"
    if R.closes and offset > R.close_after:
        return "closed"
    return "talks"


def _publisher(rng: random.Random, lang: str, avoid):
    while True:
        if lang == "en":
            p = rng.randrange(1, 700)
            name = f"{_PUB_STYLES_EN[p % len(_PUB_STYLES_EN)]} {p}"
        elif lang == "zh-Hans":
            p = rng.randrange(700, 900)
            name = f"{_PUB_STYLES_ZH[p % len(_PUB_STYLES_ZH)]} {p}"
        else:
            p = rng.randrange(900, 1000)
            name = f"{_PUB_STYLES_HANT[p % len(_PUB_STYLES_HANT)]} {p}"
        if p != avoid:
            return p, name


def _inv_name(inv, zh: bool) -> str:
    return inv[1] if zh else inv[0]


def article(i: int, seed: int = 0, start_date: dt.date = DEFAULT_START) -> str:
    """Return the full text (front matter + body) of article ``i``."""
    return _build(i, seed, start_date)[0]


def article_meta(i: int, seed: int = 0, start_date: dt.date = DEFAULT_START) -> dict:
    """Ground truth for article ``i``: focal round, relay flag, status, figures (millions)."""
    return _build(i, seed, start_date)[1]


def _build(i: int, seed: int, start_date: dt.date):
    rng = random.Random(f"roundtrace-article:{seed}:{i}")
    rid = _pick_round(i, seed, rng)
    R = _round(rid, seed, start_date.toordinal())
    u = rng.random()
    lang = "en" if u < 0.70 else ("zh-Hans" if u < 0.95 else "zh-Hant")
    zh = lang != "en"
    relay = rng.random() < RELAY_RATE
    psrc_en, psrc_zh, pnum = R.primary

    # -- publisher and dates
    if relay:
        offset = rng.randrange(0, 4)
        status = R.primary_status
        vkind, akind = R.primary_vkind, R.primary_akind
        p, pub = _publisher(rng, lang, pnum)
    elif pnum is not None and rng.random() < 0.15:
        # the primary report itself, published by a synthetic outlet
        offset, status = 0, R.primary_status
        vkind, akind = R.primary_vkind, R.primary_akind
        p, pub = pnum, psrc_en
        lang, zh = "en", False
    else:
        offset = rng.randrange(-25, 90)
        status = _status_for(R, offset)
        vkind = rng.choices(_BOUND_KINDS, _BOUND_WEIGHTS)[0]
        akind = rng.choices(_BOUND_KINDS, _BOUND_WEIGHTS)[0]
        p, pub = _publisher(rng, lang, pnum)
    pdate = R.date + dt.timedelta(days=offset)
    if pdate < start_date:
        pdate = start_date
    retrieved = pdate + dt.timedelta(days=rng.randrange(1, 240))

    # -- figures (relays and primary copies use a dedicated RNG so phrasing matches)
    frng = (
        random.Random(f"roundtrace-primary:{seed}:{rid}:{lang}")
        if (relay or offset == 0 and status == R.primary_status and p == pnum)
        else rng
    )
    gloss = frng.random() < 0.5
    if status == "closed":
        v, a = R.val_final, R.amount_final
        lo, hi = _nice(v * 0.9), _nice(v * 1.05)
        alo, ahi = _nice(a * 0.85), a
    else:
        v, a = R.val, R.amount
        lo, hi = R.val_lo, R.val_hi
        alo, ahi = _nice(a * 0.8), _nice(a * 1.1)
    if vkind == "range" and hi <= lo:
        vkind = "about"
    if akind == "range" and ahi <= alo:
        akind = "about"
    val = _bounded(lang, vkind, v, lo, hi, R.cur, frng, gloss)
    amt = _bounded(lang, akind, a, alo, ahi, R.cur, frng, gloss and vkind == "range")
    tval = _bounded(
        lang, frng.choice(("exact", "about", "upto")), R.val_target, 0, 0, R.cur, frng, False
    )
    amt_exact = _en_money(a, R.cur) if not zh else _zh_money(a, R.cur)

    company = R.company
    co = company[1] if zh else company[0]
    if company[2] == "cn" and not zh and rng.random() < 0.4:
        co_first = f"{company[0]} ({company[1]})"
    else:
        co_first = co
    sector = _SECTORS[company[5]]
    leads = [_inv_name(x, zh) for x in R.leads]
    parts = [_inv_name(x, zh) for x in R.parts]
    lead = _list_zh(leads) if zh else _list_en(leads)
    rival = R.rival[1] if zh else R.rival[0]
    if rival == co:
        rival = _COMPANIES[(_mix(seed, rid, 6) % len(_COMPANIES))][1 if zh else 0]
    founder = R.founder_zh if zh else R.founder_en
    employer = R.employer[1] if zh else R.employer[0]

    # attribution source for non-relays
    if relay:
        src_en, src_zh = psrc_en, psrc_zh
    elif p != pnum and rng.random() < 0.55:
        s = rng.choice(_REAL_OUTLETS + _INVENTED_OUTLETS)
        src_en, src_zh = s[0], s[1]
    else:
        src_en = src_zh = None
    weekday = _WEEKDAYS[pdate.weekday()]
    prim_date = R.date
    ctx = {
        "co": co,
        "co_short": co.split(" ")[0] if not zh else co,
        "city": company[4 if zh else 3],
        "kind": sector[2],
        "product": sector[1] if zh else sector[0],
        "desc": rng.choice(_EN_DESC),
        "val": val,
        "amt": amt,
        "tval": tval,
        "amt_exact": amt_exact,
        "label": R.label_zh if zh else R.label_en,
        "label_a": ("an " if R.label_en == "angel" else "a ") + R.label_en,
        "lead": lead,
        "lead_is": "are" if len(leads) > 1 else "is",
        "lead_has": "have" if len(leads) > 1 else "has",
        "weekday": weekday,
        "founded": R.founded,
        "founder": founder,
        "employer": employer,
        "employees": R.employees,
        "employees2": R.employees * 2,
        "rev": _zh_money(R.revenue, R.cur) if zh else _en_money(R.revenue, R.cur),
        "growth": R.growth,
        "gpus": f"{R.gpus:,}" if not zh else str(R.gpus),
        "gpus2": f"{R.gpus * 3:,}" if not zh else str(R.gpus * 3),
        "chip": R.chip,
        "pyear2": pdate.year + 1,
        "rival": rival,
        "rval": _zh_money(R.rival_val, R.cur) if zh else _en_money(R.rival_val, R.cur),
        "ramt": (
            _zh_money(_nice(R.rival_val * 0.15), R.cur)
            if zh
            else _en_money(_nice(R.rival_val * 0.15), R.cur)
        ),
        "ryear": R.rival_year,
        "stake": _num(R.stake),
        "profit_year": R.profit_year,
        "users": _zh_count(R.users) if zh else _num(R.users),
        "customers": (str if zh else "{:,}".format)(rng.choice((150, 300, 800, 1200, 2000))),
        "months": rng.choice((12, 18, 24)),
        "events": rng.choice((600, 800, 1000, 1300)),
        "other_inv": "",
        "pval": (_zh_money(R.prev_val, R.cur) if zh else _en_money(R.prev_val, R.cur)),
        "plabel": R.prev_label_zh if zh else R.prev_label_en,
        "pyear": R.prev_year,
        "psrc": psrc_zh if zh else psrc_en,
        "pweekday": _WEEKDAYS[prim_date.weekday()],
        "pdate_en": f"{_MONTHS[prim_date.month - 1]} {prim_date.day}",
        "pdate_zh": f"{prim_date.month}月{prim_date.day}日",
        "self": pub,
        "time_zh": rng.choice(
            (
                "近日",
                "日前",
                f"{pdate.month}月{pdate.day}日",
                f"本周{_WEEKDAYS_ZH[pdate.weekday()]}",
            )
        ),
    }
    oi = _choose_investors(rng, company[2] == "cn", 2)
    ctx["other_inv"] = (_list_zh if zh else _list_en)([_inv_name(x, zh) for x in oi])
    if zh:
        ctx["kind"] = rng.choice(_ZH_KIND)
    if parts:
        if zh:
            ctx["parts_clause"] = rng.choice(("，{}参投", "，{}跟投", "，老股东{}继续跟投")).format(
                _list_zh(parts)
            )
        else:
            ctx["parts_clause"] = rng.choice(
                (
                    ", with {} participating",
                    ", with participation from {}",
                    ". Existing backers {} are also investing",
                )
            ).format(_list_en(parts))
    else:
        ctx["parts_clause"] = ""

    if zh:
        if src_zh is not None:
            ctx["attr"] = rng.choice(_ZH_ATTR_SRC).format(src=src_zh)
        else:
            ctx["attr"] = rng.choice(_ZH_ATTR_ANON)
    else:
        if src_en is not None:
            ctx["attr"] = rng.choice(_EN_ATTR_REAL).format(src=src_en, weekday=weekday)
        else:
            ctx["attr"] = rng.choice(_EN_ATTR_ANON)

    paras = _body(rng, R, zh, relay, status, ctx, co_first, p == pnum and not relay)
    # title
    if zh:
        title = rng.choice(_ZH_TITLES[status]).format(**ctx)
        if relay:
            title = f"{psrc_zh}：" + title
    else:
        title = rng.choice(_EN_TITLES[status]).format(**ctx)
        if relay and rng.random() < 0.5:
            title += f" - {psrc_en}"
    body = "\n\n".join(paras)
    if lang == "zh-Hant":
        body, title = _to_hant(body), _to_hant(title)

    # -- front matter
    slug = "".join(c if c.isalnum() else "-" for c in company[0].lower()).strip("-")
    aid = 100000 + i * 13 + rng.randrange(13)
    host = f"news-{p:04d}.{_TLDS[p % 3]}"
    if rng.random() < 0.5:
        word = rng.choice(("funding", "talks", "valuation", "round"))
        path = f"{pdate:%Y/%m/%d}/{slug}-{word}-{aid}"
    else:
        path = f"article/{aid}.html"
    url = f"https://{host}/{path}"
    pub_val = "null" if rng.random() < 0.04 else pub
    published_val = "null" if rng.random() < 0.04 else pdate.isoformat()
    fm = (
        "---\n"
        f"url: {url}\n"
        f"publisher: {pub_val}\n"
        f"published: {published_val}\n"
        f"language: {lang}\n"
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        f"retrieved: {retrieved.isoformat()}\n"
        "notes: synthetic benchmark article\n"
        "---\n"
    )
    meta = {
        "index": i,
        "round_id": rid,
        "company": company[0],
        "company_zh": company[1],
        "round_label": R.label_en,
        "language": lang,
        "relay": relay,
        "primary_outlet": psrc_en,
        "primary_date": R.date.isoformat(),
        "is_primary": p == pnum and not relay,
        "status": status,
        "currency": R.cur,
        "valuation": v,
        "valuation_bound": vkind,
        "amount": a,
        "amount_bound": akind,
        "valuation_text": _to_hant(val) if lang == "zh-Hant" else val,
        "amount_text": _to_hant(amt) if lang == "zh-Hant" else amt,
        "leads": [x[0] for x in R.leads],
        "participants": [x[0] for x in R.parts],
        "in_talks": [x[0] for x in R.talks] if status != "closed" else [],
        "url": url,
    }
    return fm + body + "\n", meta


def _words(text: str, zh: bool) -> float:
    return len(text) / 1.7 if zh else text.count(" ") + 1


def _body(rng, R, zh, relay, status, ctx, co_first, is_primary) -> list:
    T = _ZH if zh else _EN
    first_ctx = dict(ctx, co=co_first)
    paras = []
    if relay:
        pool = T["relay_closed"] if status == "closed" else T["relay"]
        p1 = rng.choice(pool).format(**first_ctx)
        notes = T["relay_note"]
        if status == "closed":
            notes = [x for x in notes if x not in _TALKS_ONLY]
        p1 += ("" if zh else " ") + rng.choice(notes).format(**ctx)
        paras.append(p1)
    else:
        paras.append(rng.choice(T["lede"][status]).format(**first_ctx))
    inv = rng.choice(T["investors_closed" if status == "closed" else "investors"]).format(**ctx)
    if R.talks and status != "closed":
        names = [_inv_name(x, zh) for x in R.talks]
        plural = len(names) > 1
        inv += ("" if zh else " ") + rng.choice(T["talks"]).format(
            inv=(_list_zh if zh else _list_en)(names),
            be="are" if plural else "is",
            have="have" if plural else "has",
        )
    if R.considering and status != "closed":
        inv += ("" if zh else " ") + rng.choice(T["consider"]).format(
            inv=_inv_name(R.considering[0], zh)
        )
    paras.append(inv)
    if status != "early" and rng.random() < 0.6:
        paras.append(rng.choice(T["earlier"]).format(**ctx))
    target = rng.triangular(MIN_WORDS, MAX_WORDS, 320)
    closing = rng.choice(T["closing"]).format(**ctx)
    extra = [rng.choice(T["background"]).format(**ctx)]
    if R.ladder > 0:
        extra.append(rng.choice(T["prev"]).format(**ctx))
    fill = list(T["filler"])
    if status == "closed":
        fill = [f for f in fill if f not in _TALKS_ONLY]
    rng.shuffle(fill)
    extra += [f.format(**ctx) for f in fill]
    rng.shuffle(extra)
    total = sum(_words(x, zh) for x in paras) + _words(closing, zh)
    # group some fillers into longer paragraphs
    j = 0
    while j < len(extra) and total < target:
        para = extra[j]
        j += 1
        if j < len(extra) and rng.random() < 0.35:
            para += ("" if zh else " ") + extra[j]
            j += 1
        w = _words(para, zh)
        if total + w > MAX_WORDS - 10:
            break
        paras.append(para)
        total += w
    while total < MIN_WORDS + 5:  # rarely needed: pad with market context
        para = rng.choice(T["filler"]).format(**ctx)
        paras.append(para)
        total += _words(para, zh)
    paras.append(closing)
    return paras


_TALKS_ONLY = frozenset(
    x
    for x in _EN_FILLER + _ZH_FILLER + _EN_RELAY_NOTE + _ZH_RELAY_NOTE
    if "not final" in x or "尚未最终确定" in x or "expected to close" in x or "完成时间" in x
)
assert len(_TALKS_ONLY) == 4

_EN = {
    "lede": _EN_LEDE,
    "investors": _EN_INVESTORS,
    "investors_closed": _EN_INVESTORS_CLOSED,
    "talks": _EN_TALKS,
    "consider": _EN_CONSIDER,
    "earlier": _EN_EARLIER,
    "prev": _EN_PREV,
    "background": _EN_BACKGROUND,
    "filler": _EN_FILLER,
    "closing": _EN_CLOSING,
    "relay": _EN_RELAY,
    "relay_closed": _EN_RELAY_CLOSED,
    "relay_note": _EN_RELAY_NOTE,
}
_ZH = {
    "lede": _ZH_LEDE,
    "investors": _ZH_INVESTORS,
    "investors_closed": _ZH_INVESTORS_CLOSED,
    "talks": _ZH_TALKS,
    "consider": _ZH_CONSIDER,
    "earlier": _ZH_EARLIER,
    "prev": _ZH_PREV,
    "background": _ZH_BACKGROUND,
    "filler": _ZH_FILLER,
    "closing": _ZH_CLOSING,
    "relay": _ZH_RELAY,
    "relay_closed": _ZH_RELAY_CLOSED,
    "relay_note": _ZH_RELAY_NOTE,
}


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def generate(
    n: int, outdir, seed: int = 0, start_date: dt.date = DEFAULT_START, manifest=None
) -> int:
    """Write ``n`` articles to ``outdir`` (created if needed). Returns the count written.

    If ``manifest`` is a path, also write one JSON line of ground truth per article.
    """
    outdir = os.fspath(outdir)
    os.makedirs(outdir, exist_ok=True)
    with contextlib.ExitStack() as stack:
        mf = None
        if manifest:
            mf = stack.enter_context(open(manifest, "w", encoding="utf-8", newline="\n"))
        for i in range(n):
            text, meta = _build(i, seed, start_date)
            path = os.path.join(outdir, f"a{i:07d}.md")
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            if mf is not None:
                mf.write(json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n")
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("outdir", help="output directory")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start-date", type=dt.date.fromisoformat, default=DEFAULT_START)
    ap.add_argument("--manifest", help="optional JSONL file of per-article ground truth")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("N must be >= 0")
    t0 = time.perf_counter()
    count = generate(args.n, args.outdir, args.seed, args.start_date, args.manifest)
    dt_s = time.perf_counter() - t0
    print(f"wrote {count} articles to {args.outdir} in {dt_s:.2f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
