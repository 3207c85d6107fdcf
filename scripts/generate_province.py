#!/usr/bin/env python3
"""Write a seeded province with realistic names, for measuring search (scripts/measure_search.py).

    python scripts/generate_province.py --schools 2000 --out /tmp/province/schools

The bureau, notices, settlements and oversight are scripts/generate_example.py's; only the names
differ: counties and districts take real division names (浦东新区, 宝安区 next to 宝山区, 城区 next to
新城区, 南县 next to 衡南县), towns real town names (城关 in many counties, 新城 in 新城区), and
schools the forms real schools are named in: 南关区新店民办初级中学, 宝安区第二实验小学,
城关区城关中心幼儿园, 浏阳市职业技术学校. Names are unique in the province (a roster needs that);
the same seed always gives the same bytes. Every school and person is still fictional.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_example as example  # noqa: E402 - the script folder is not a package

#: Real county-level division names. The first ones are always used: pairs a search must tell apart.
FIRST = ["浦东新区", "宝安区", "宝山区", "城区", "新城区", "南县", "衡南县", "城关区", "南关区", "长安区", "长宁区",
         "桃源县", "朝阳区", "通州区", "南山区", "青山区"]
COUNTIES = FIRST + """
黄浦区 徐汇区 静安区 普陀区 虹口区 杨浦区 闵行区 嘉定区 金山区 松江区 青浦区 奉贤区 崇明区 罗湖区 福田区 龙岗区
盐田区 龙华区 坪山区 光明区 东城区 西城区 丰台区 石景山区 海淀区 门头沟区 房山区 顺义区 昌平区 大兴区 怀柔区 平谷区
密云区 延庆区 荔湾区 越秀区 海珠区 天河区 白云区 黄埔区 番禺区 花都区 南沙区 从化区 增城区 锦江区 青羊区 金牛区
武侯区 成华区 龙泉驿区 青白江区 新都区 温江区 双流区 郫都区 新津区 金堂县 大邑县 蒲江县 江岸区 江汉区 硚口区 汉阳区
武昌区 洪山区 东西湖区 汉南区 蔡甸区 江夏区 黄陂区 新洲区 七里河区 西固区 安宁区 红古区 永登县 皋兰县 榆中县 宽城区
二道区 绿园区 双阳区 九台区 农安县 矿区 郊区 平定县 盂县 碑林区 莲湖区 灞桥区 未央区 雁塔区 阎良区 临潼区 高陵区
鄠邑区 蓝田县 周至县 长沙县 浏阳市 宁乡市 望城区 湘潭县 湘乡市 韶山市 衡阳县 衡山县 衡东县 祁东县 耒阳市 常宁市
邵东市 新邵县 邵阳县 隆回县 洞口县 绥宁县 新宁县 城步苗族自治县 武冈市 岳阳县 华容县 湘阴县 平江县 汨罗市 临湘市
安乡县 汉寿县 澧县 临澧县 石门县 津市市 慈利县 桑植县 桃江县 安化县 沅江市 桂阳县 宜章县 永兴县 嘉禾县 临武县
汝城县 桂东县 安仁县 资兴市 祁阳市 东安县 双牌县 道县 江永县 宁远县 蓝山县 新田县 江华瑶族自治县 中方县 沅陵县
辰溪县 溆浦县 会同县 麻阳苗族自治县 新晃侗族自治县 芷江侗族自治县 靖州苗族侗族自治县 通道侗族自治县 洪江市 双峰县
新化县 冷水江市 涟源市 泸溪县 凤凰县 花垣县 保靖县 古丈县 永顺县 龙山县 吉首市
""".split()
#: Real town names; each county has some of them, so 城关 and 新店 recur across the province.
TOWNS = """
城关 新店 柳湾 石桥 河口 双龙 杨家坪 清水 马鞍 白沙 黄土岭 梅溪 竹林 三合 长岗 青龙 松柏 太平 新安 西乡 沙井 松岗
福永 石岩 观澜 平湖 横岗 坪地 葵涌 川沙 周浦 惠南 张江 唐镇 曹路 祝桥 新场 航头 书院 罗店 月浦 杨行 顾村 大场
庙行 罗泾 朱家角 练塘 金泽 泗泾 佘山 车墩 新桥 洞泾 九亭 安亭 南翔 马陆 徐行 华亭 外冈 江桥 高桥 金桥 花桥 永丰
兴隆 太和 东山 西山 龙泉 龙潭 麻田 黄田 桥头 塘口 水口 江口 白马 金鸡 凤山 云山 红星 胜利 东风 前进 和平 长乐
长寿 长兴 新华 新民 新城 南关 北关 东关 西关 桃源
""".split()
NUMBERS = "一二三四五六七八九十"
KIND = {k.label: k for k in example.KINDS}


def _forms(kind: str) -> list[str]:
    """Name forms for a kind of school: {c} county, {t} town, {n} a Chinese ordinal, {p} 民办 or ""."""
    return {
        "幼儿园": ["{c}{t}中心幼儿园", "{c}{t}{p}幼儿园", "{c}第{n}幼儿园", "{c}实验幼儿园"],
        "小学": ["{c}{t}小学", "{c}{t}中心小学", "{c}{t}{p}小学", "{c}实验小学", "{c}第{n}实验小学", "{c}第{n}小学"],
        "初中": ["{c}{t}{p}初级中学", "{c}第{n}初级中学", "{c}{t}中学"],
        "九年一贯制": ["{c}{t}{p}九年一贯制学校", "{c}{t}学校"],
        "完全中学": ["{c}第{n}中学", "{c}{t}{p}中学"],
        "高中": ["{c}第{n}高级中学", "{c}{p}高级中学", "{c}实验中学"],
        "中职": ["{c}职业技术学校", "{c}{t}职业中学", "{c}{p}职业技术学校"],
    }[kind]


def _name(county: str, towns: list[str], kind: str, private: bool, rng: random.Random, taken: set[str]) -> str:
    forms = _forms(kind)
    for _ in range(60):
        form = rng.choice(forms)
        if private and "{p}" not in form:
            continue
        name = form.format(c=county, t=rng.choice(towns), n=NUMBERS[rng.randrange(10)],
                           p="民办" if private else "")
        if name not in taken:
            return name
    serial = 2
    while f"{name[:-2]}{serial}{name[-2:]}" in taken:
        serial += 1
    return f"{name[:-2]}{serial}{name[-2:]}"


def make_schools(count: int, rng: random.Random) -> list[example.School]:
    """``count`` schools over count // 16 counties (at least 16), named as above."""
    county_count = min(len(COUNTIES), max(len(FIRST), count // 16))
    counties = [(f"d{i:03d}", COUNTIES[i], f"0{710 + i}") for i in range(county_count)]
    towns = {cid: rng.sample(TOWNS, 8) for cid, _, _ in counties}
    taken: set[str] = set()
    schools = []
    for index in range(count):
        county_id, county_name, area = counties[index % county_count]
        kind = rng.choices(example.KINDS, weights=example.KIND_WEIGHTS)[0]
        private = index % 9 == 4 and kind.label != "九年一贯制"
        name = _name(county_name, towns[county_id], kind.label, private, rng, taken)
        taken.add(name)
        boarding = kind.label in ("九年一贯制", "完全中学", "高中", "中职") or (kind.label == "初中" and index % 2 == 0)
        schools.append(example.School(f"{county_id}-{index:05d}", county_id, county_name, area, name, kind,
                                      "民办" if private else "公办", boarding and kind.label != "幼儿园", index))
    return schools


def generate(out: Path, count: int, seed: int) -> None:
    example.generate(out, count, seed, make=make_schools)
    # The example's school-bus item names its own third county; here it runs in the third county too.
    policy = out / "policy.yml"
    third = f"d{2:03d}"
    text = policy.read_text("utf-8").replace("counties: [yunling]", f"counties: [{third}]")
    policy.write_text(text.replace("只在云岭区开行校车", f"只在{COUNTIES[2]}开行校车"), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=2000, help="number of school files (default 2000)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (a project's schools/)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    generate(args.out, args.schools, args.seed)
    print(f"wrote {args.schools} schools with real division names to {args.out}")


if __name__ == "__main__":
    main()
