package sim

import "strconv"

// The word lists synthetic people and units are made of.

// surnames are common in Liaoning, most common first, with relative
// frequencies.
var (
	surnames       = []string{"王", "李", "张", "刘", "于", "孙", "赵", "杨", "陈", "高", "马", "徐", "宋", "姜", "曲", "郭", "吕", "林", "韩", "梁", "董", "曹", "鞠", "滕", "丛", "隋", "周", "吴", "邹", "关"}
	surnameWeights = []int{90, 85, 80, 75, 40, 40, 38, 35, 30, 25, 22, 20, 18, 18, 12, 15, 12, 12, 12, 10, 10, 10, 6, 5, 5, 5, 10, 10, 6, 6}
)

// givenMale and givenFemale are characters of given names.
var (
	givenMale   = []string{"伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "斌", "鹏", "辉", "刚", "建", "国", "华", "峰", "宇", "浩", "东", "海", "波", "志", "成", "洋", "亮", "林", "晨", "博", "文", "庆", "春", "德", "福", "满", "铁", "宏", "俊"}
	givenFemale = []string{"丽", "娟", "敏", "静", "艳", "芳", "燕", "玲", "霞", "红", "秀", "英", "梅", "婷", "雪", "琳", "慧", "颖", "璐", "佳", "欣", "月", "倩", "萍", "晶", "丹", "莉", "楠", "宁", "悦", "凤", "春", "桂", "兰"}
)

// name draws a Chinese name: a surname and one or two given characters.
func name(st *stream, male bool) string {
	given := givenFemale
	if male {
		given = givenMale
	}
	s := surnames[st.pick(surnameWeights)] + given[st.intn(len(given))]
	if st.chance(6500) {
		s += given[st.intn(len(given))]
	}
	return s
}

// Parts of enterprise names: the place prefix by area, the trade name
// (字号), the line of business and the legal form.
var (
	placePrefix = [len(areas)]string{"丹东", "丹东", "丹东", "宽甸", "东港市", "凤城市"}
	tradeNames  = []string{"华泰", "鑫源", "恒达", "宏升", "金桥", "鸭绿江", "北方", "东方", "永兴", "瑞丰", "天合", "盛世", "嘉禾", "通达", "宇航", "兴隆", "福瑞", "隆基", "新城", "曙光", "万和", "中兴", "安泰", "鼎盛", "海洋", "黄海", "五龙", "锦江", "凤凰", "青山", "丹诚", "润达", "宏大", "志远", "汇丰", "大鹏"}
	businesses  = []string{"机械制造", "纺织", "食品", "水产品", "仪器仪表", "建筑工程", "商贸", "物流", "电子科技", "汽车配件", "化工", "医药", "房地产开发", "物业管理", "餐饮管理", "农业发展", "旅游", "印刷", "包装", "木业", "服装", "建材", "粮油", "热力", "汽车运输", "电力设备"}
	legalForms  = []string{"有限公司", "有限责任公司", "股份有限公司", "厂"}
	formWeights = []int{70, 15, 8, 7}
)

// enterpriseName draws the name of an enterprise registered in area a.
func enterpriseName(st *stream, a int) string {
	return placePrefix[a] + tradeNames[st.intn(len(tradeNames))] +
		businesses[st.intn(len(businesses))] + legalForms[st.pick(formWeights)]
}

// Parts of the names of government bodies (机关) and public institutions
// (事业单位).
var (
	bureaus      = []string{"人力资源和社会保障局", "教育局", "财政局", "卫生健康委员会", "自然资源局", "住房和城乡建设局", "交通运输局", "市场监督管理局", "民政局", "农业农村局", "文化旅游和广播电视局", "统计局", "应急管理局", "司法局"}
	institutions = []string{"小学", "中学", "中心小学", "幼儿园", "卫生院", "人民医院", "社区卫生服务中心", "疾病预防控制中心", "文化馆", "图书馆"}
	districtName = [len(areas)]string{"元宝区", "振兴区", "振安区", "宽甸满族自治县", "东港市", "凤城市"}
)

// publicName draws the name of a government body (body true) or a public
// institution in area a.
func publicName(st *stream, a int, body bool) string {
	if body {
		prefix := districtName[a]
		if a < 3 && st.chance(5000) { // the city's bureaus sit in the urban districts
			prefix = "丹东市"
		}
		return prefix + bureaus[st.intn(len(bureaus))]
	}
	kind := institutions[st.intn(len(institutions))]
	if st.chance(6000) {
		return districtName[a] + "第" + chineseNumber(1+st.intn(30)) + kind
	}
	return districtName[a] + tradeNames[st.intn(len(tradeNames))] + kind
}

// chineseNumber writes 1..99 in Chinese numerals, as school names do.
func chineseNumber(n int) string {
	const d = "零一二三四五六七八九"
	digit := func(i int) string { return string([]rune(d)[i]) }
	switch {
	case n < 10:
		return digit(n)
	case n == 10:
		return "十"
	case n < 20:
		return "十" + digit(n-10)
	case n%10 == 0:
		return digit(n/10) + "十"
	}
	return digit(n/10) + "十" + digit(n%10)
}

// streets are a few real street names of each area.
var streets = [len(areas)][]string{
	{"锦山大街", "兴东路", "金山大街", "宝山大街", "六道沟路"},
	{"十纬路", "六纬路", "江城大街", "青年大街", "春三路", "帽盔山路"},
	{"振安路", "鸭绿江大街", "同兴路", "珍珠街"},
	{"中心大街", "宽甸大街", "步达远路"},
	{"新兴路", "大东港路", "前阳街", "孤山路"},
	{"凤城大街", "凤山路", "新华路", "通远堡路"},
}

// address draws a street address in area a.
func address(st *stream, a int) string {
	s := streets[a]
	return "辽宁省丹东市" + districtName[a] + s[st.intn(len(s))] + strconv.Itoa(1+st.intn(300)) + "号"
}

// banks pay pensions, with the first digits of their debit cards.
var banks = []struct{ name, bin string }{
	{"中国工商银行丹东分行", "622202"},
	{"中国建设银行丹东分行", "621700"},
	{"中国农业银行丹东分行", "622848"},
	{"中国银行丹东分行", "621661"},
	{"中国邮政储蓄银行丹东分行", "621799"},
	{"丹东银行", "623189"},
}

// injuryCauses are how work-injury decisions describe the accident.
var injuryCauses = []string{"机械伤害", "高处坠落", "物体打击", "上下班途中交通事故", "工作中摔伤", "烫伤", "触电", "搬运重物扭伤", "车辆伤害", "职业病"}
