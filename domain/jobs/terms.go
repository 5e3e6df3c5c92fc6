package jobs

// Area is a county-level division of Dandong by its GB/T 2260 code, the
// areas postings and wishes are filed under.
type Area string

// Dandong's districts, county-level cities and county.
const (
	Yuanbao   Area = "210602" // 元宝区
	Zhenxing  Area = "210603" // 振兴区
	Zhenan    Area = "210604" // 振安区
	Kuandian  Area = "210624" // 宽甸满族自治县
	Donggang  Area = "210681" // 东港市
	Fengcheng Area = "210682" // 凤城市
)

// Areas lists Dandong's areas, city districts first.
var Areas = []Area{Yuanbao, Zhenxing, Zhenan, Donggang, Fengcheng, Kuandian}

var areaLabels = map[Area]string{Yuanbao: "元宝区", Zhenxing: "振兴区", Zhenan: "振安区",
	Kuandian: "宽甸满族自治县", Donggang: "东港市", Fengcheng: "凤城市"}

// Label returns the area's name; "" for an unknown code.
func (a Area) Label() string { return areaLabels[a] }

// Known reports whether a is one of Areas.
func (a Area) Known() bool { return areaLabels[a] != "" }

// Industry is the employer's line of business, in the employment system's
// coarse classification.
type Industry string

// The industries postings are filed under.
const (
	Manufacturing Industry = "manufacturing" // 制造业
	Trade         Industry = "trade"         // 批发和零售
	Hospitality   Industry = "hospitality"   // 住宿和餐饮
	Logistics     Industry = "logistics"     // 交通运输、仓储和物流
	Construction  Industry = "construction"  // 建筑业
	IT            Industry = "it"            // 信息技术
	Training      Industry = "education"     // 教育培训
	Health        Industry = "health"        // 医疗卫生
	Agriculture   Industry = "agriculture"   // 农林牧渔
	Tourism       Industry = "tourism"       // 文化旅游
	Finance       Industry = "finance"       // 金融保险
	Services      Industry = "services"      // 居民服务
)

// Industries lists the industries in the order the app offers them.
var Industries = []Industry{Manufacturing, Trade, Hospitality, Logistics, Construction, IT,
	Training, Health, Agriculture, Tourism, Finance, Services}

var industryLabels = map[Industry]string{Manufacturing: "制造业", Trade: "批发和零售", Hospitality: "住宿和餐饮",
	Logistics: "交通运输和物流", Construction: "建筑业", IT: "信息技术", Training: "教育培训", Health: "医疗卫生",
	Agriculture: "农林牧渔", Tourism: "文化旅游", Finance: "金融保险", Services: "居民服务"}

// Label returns the industry's name; "" for an unknown one.
func (i Industry) Label() string { return industryLabels[i] }

// Known reports whether i is one of Industries.
func (i Industry) Known() bool { return industryLabels[i] != "" }

// Education is a level of schooling (学历), required or held.
type Education string

// The levels, lowest first.
const (
	AnyEducation Education = "any"      // 不限
	JuniorHigh   Education = "junior"   // 初中
	SeniorHigh   Education = "senior"   // 高中/中专
	College      Education = "college"  // 大专
	Bachelor     Education = "bachelor" // 本科
	Master       Education = "master"   // 硕士及以上
)

// Educations lists the levels, lowest first.
var Educations = []Education{AnyEducation, JuniorHigh, SeniorHigh, College, Bachelor, Master}

var educationLabels = map[Education]string{AnyEducation: "学历不限", JuniorHigh: "初中", SeniorHigh: "高中/中专",
	College: "大专", Bachelor: "本科", Master: "硕士及以上"}

// Label returns the level's name; "" for an unknown one.
func (e Education) Label() string { return educationLabels[e] }

// Known reports whether e is one of Educations.
func (e Education) Known() bool { return educationLabels[e] != "" }
