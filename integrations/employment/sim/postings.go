package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/integrations/employment"
)

// post is a kind of job an industry hires for: its title, typical monthly
// pay in yuan, the least education and years of experience asked.
type post struct {
	title string
	pay   int64
	edu   string
	years int
}

// trade is an industry with its posts and how its employers are named.
type trade struct {
	code, suffix string
	weight       int // share of postings, roughly Dandong's labour market
	posts        []post
}

var trades = []trade{
	{"manufacturing", "机械制造有限公司", 20, []post{{"普工", 4000, "any", 0}, {"数控车床操作工", 5500, "senior", 1},
		{"质检员", 4500, "senior", 1}, {"电焊工", 6000, "junior", 2}, {"机械设计工程师", 7500, "bachelor", 3},
		{"设备维修电工", 6000, "senior", 2}, {"仓库管理员", 4200, "senior", 0}, {"水产品加工工", 4200, "any", 0}}},
	{"trade", "商贸有限公司", 12, []post{{"营业员", 3500, "junior", 0}, {"收银员", 3300, "junior", 0},
		{"门店店长", 5500, "college", 2}, {"销售代表", 5000, "senior", 0}, {"采购专员", 5000, "college", 1},
		{"边贸业务员", 5500, "college", 1}}},
	{"hospitality", "餐饮管理有限公司", 10, []post{{"厨师", 5500, "junior", 2}, {"服务员", 3300, "any", 0},
		{"酒店前台", 3800, "senior", 0}, {"面点师", 4500, "junior", 1}, {"客房服务员", 3300, "any", 0}}},
	{"logistics", "物流有限公司", 10, []post{{"货车司机（A2/B2）", 7000, "junior", 3}, {"快递员", 5500, "junior", 0},
		{"叉车司机", 5000, "junior", 1}, {"物流调度员", 4800, "college", 1}, {"港口装卸工", 5500, "any", 0}}},
	{"construction", "建筑工程有限公司", 8, []post{{"钢筋工", 7000, "any", 1}, {"木工", 7000, "any", 2},
		{"施工员", 6000, "college", 2}, {"造价员", 6000, "college", 2}, {"安全员", 5000, "senior", 1}}},
	{"it", "网络科技有限公司", 6, []post{{"Java开发工程师", 9000, "bachelor", 2}, {"前端开发工程师", 8000, "bachelor", 1},
		{"网络运维工程师", 6500, "college", 1}, {"电商运营", 5500, "college", 1}, {"新媒体运营", 5000, "college", 0}}},
	{"education", "教育咨询有限公司", 6, []post{{"英语教师", 5500, "bachelor", 1}, {"幼儿教师", 3800, "college", 0},
		{"课程顾问", 4500, "college", 0}, {"朝鲜语翻译", 6000, "bachelor", 1}}},
	{"health", "医药连锁有限公司", 7, []post{{"护士", 4500, "college", 0}, {"药店营业员", 3600, "senior", 0},
		{"康复理疗师", 5000, "college", 1}, {"医院护工", 4000, "any", 0}}},
	{"agriculture", "农业发展有限公司", 7, []post{{"草莓种植技术员", 4500, "senior", 1}, {"水产养殖工", 4800, "junior", 0},
		{"蓝莓采摘工", 3500, "any", 0}, {"农机手", 5000, "junior", 1}}},
	{"tourism", "旅游发展有限公司", 5, []post{{"导游", 4500, "college", 0}, {"景区讲解员", 3800, "college", 0},
		{"鸭绿江游船乘务员", 3800, "senior", 0}, {"酒店销售经理", 6000, "college", 2}}},
	{"finance", "保险代理有限公司", 4, []post{{"保险代理人", 4000, "college", 0}, {"银行柜员", 5000, "bachelor", 0},
		{"理财经理", 7000, "bachelor", 2}, {"会计", 5000, "college", 1}}},
	{"services", "家政服务有限公司", 5, []post{{"保洁员", 3000, "any", 0}, {"保安员", 3300, "any", 0},
		{"家政服务员", 4500, "any", 0}, {"育婴师", 5500, "senior", 1}, {"养老护理员", 4200, "any", 0}}},
}

// areas are Dandong's county-level divisions with a few streets each, the
// city districts weighted as the bigger job markets.
var areas = []area{
	{"210603", "振兴区", "丹东", 30, []string{"锦山大街", "六纬路", "兴五路", "帽盔山路", "福春街"}},
	{"210602", "元宝区", "丹东", 22, []string{"江城大街", "金山大街", "宝山大街", "八道沟路"}},
	{"210604", "振安区", "丹东", 10, []string{"珍珠街", "五龙背镇新华路", "楼房镇中街"}},
	{"210681", "东港市", "东港市", 18, []string{"新兴路", "滨海大道", "大孤山镇商业街", "前阳镇东街"}},
	{"210682", "凤城市", "凤城市", 13, []string{"凤凰城大街", "宝山路", "东汤镇温泉路"}},
	{"210624", "宽甸满族自治县", "宽甸", 7, []string{"宽甸镇新华街", "鸭绿江路", "虎山路"}},
}

// area is a county-level division: its code, name, the place name its
// firms trade under, its share of postings and a few streets.
type area struct {
	code, name, firms string
	weight            int
	streets           []string
}

var (
	brandWords = []string{"华信", "鸭绿江", "锦江", "安民", "凤凰山", "虎山", "港城", "宏达", "兴隆", "北方",
		"曙光", "五龙", "天桥", "长青", "金山", "瑞丰", "利民", "丰源", "边城", "黄海", "大鹿岛", "青山沟"}
	surnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "于", "宋", "郑"}
	welfares = []string{"五险一金", "包吃", "包住", "年终奖", "带薪年假", "节日福利", "交通补贴",
		"餐补", "定期体检", "周末双休", "加班补助"}
	eduWords = map[string]string{"any": "学历不限", "junior": "初中及以上学历", "senior": "高中或中专及以上学历",
		"college": "大专及以上学历", "bachelor": "本科及以上学历", "master": "硕士及以上学历"}
)

// postings draws n postings for seed, posted over the ninety days before
// asOf, newest first; the same seed and asOf give the same board.
func postings(seed uint64, n int, asOf time.Time) []employment.JobRecord {
	rng := rand.New(rand.NewPCG(seed, seed^0x6a6f6273))
	today := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, asOf.Location())
	out := make([]employment.JobRecord, n)
	for i := range out {
		out[i] = draw(rng, i+1, today)
	}
	slices.SortStableFunc(out, func(a, b employment.JobRecord) int { return strings.Compare(b.PostedOn, a.PostedOn) })
	return out
}

// draw makes posting number no.
func draw(rng *rand.Rand, no int, today time.Time) employment.JobRecord {
	t := pick(rng, trades, func(t trade) int { return t.weight })
	p := t.posts[rng.IntN(len(t.posts))]
	a := pick(rng, areas, func(a area) int { return a.weight })
	low := round100(p.pay * int64(85+rng.IntN(40)) / 100)
	high := low + round100(int64(500+rng.IntN(2500)))
	posted := today.AddDate(0, 0, -rng.IntN(90))
	surname := surnames[rng.IntN(len(surnames))]
	contact := surname + []string{"先生", "女士"}[rng.IntN(2)]
	return employment.JobRecord{
		JobID: fmt.Sprintf("ZP%05d", no), Title: p.title,
		Employer: a.firms + brandWords[rng.IntN(len(brandWords))] + t.suffix,
		Industry: t.code, AreaCode: a.code, SalaryMin: low, SalaryMax: high, Education: p.edu, Experience: p.years,
		Headcount: 1 + rng.IntN(15), PostedOn: posted.Format(employment.DateLayout),
		Description: fmt.Sprintf("岗位职责：负责%s相关工作，服从工作安排。任职要求：%s，%s，身体健康，责任心强。工作地点：丹东市%s。",
			p.title, eduWords[p.edu], experience(p.years), a.name),
		Address: fmt.Sprintf("丹东市%s%s%d号", a.name, a.streets[rng.IntN(len(a.streets))], 1+rng.IntN(300)),
		Welfare: sample(rng, welfares, 2+rng.IntN(3)), Contact: contact,
		ContactPhone: fmt.Sprintf("1%d%09d", []int{3, 5, 8}[rng.IntN(3)], rng.IntN(1_000_000_000)),
	}
}

func experience(years int) string {
	if years == 0 {
		return "经验不限，可接受应届毕业生"
	}
	return fmt.Sprintf("%d年以上相关工作经验", years)
}

func round100(v int64) int64 { return (v + 50) / 100 * 100 }

// pick draws one of items with probability proportional to its weight.
func pick[T any](rng *rand.Rand, items []T, weight func(T) int) T {
	total := 0
	for _, it := range items {
		total += weight(it)
	}
	n := rng.IntN(total)
	for _, it := range items {
		if n -= weight(it); n < 0 {
			return it
		}
	}
	return items[len(items)-1]
}

// sample draws k distinct items, in the order of items.
func sample(rng *rand.Rand, items []string, k int) []string {
	idx := rng.Perm(len(items))[:k]
	slices.Sort(idx)
	out := make([]string, k)
	for i, j := range idx {
		out[i] = items[j]
	}
	return out
}

// areaName returns the name of an area code; "" for an unknown one.
func areaName(code string) string {
	for _, a := range areas {
		if a.code == code {
			return a.name
		}
	}
	return ""
}
