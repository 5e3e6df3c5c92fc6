package kiosk

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// registerPrints adds the print routes: statements and slips on A4,
// receipts on the 80 mm roll.
func (r registrar) registerPrints() {
	c, api := r.c, r.api
	huma.Register(api, r.printOp(PersonAccess, "print-personal-statement", "/prints/personal-statement", "打印个人对账单（A4）",
		"打印社会保险个人权益记录：参保信息、养老保险个人账户和最近一个缴费年度的缴费明细。"),
		printFor(c, "print.personal_statement", c.statementDoc))
	huma.Register(api, r.printOp(PersonAccess, "print-benefit-slip", "/prints/benefit-slip", "打印养老待遇信息单（A4）",
		"打印养老待遇构成和本年度养老金发放记录；仅限领取养老待遇的人员。"),
		printFor(c, "print.benefit_slip", c.benefitSlipDoc))
	huma.Register(api, r.printOp(PersonAccess, "print-certification-receipt", "/prints/certification-receipt", "打印认证结果凭条（80毫米）",
		"本年度养老待遇资格认证通过后打印认证结果。"),
		printFor(c, "print.certification_result", c.certificationReceiptDoc))
	huma.Register(api, r.printOp(UnitAccess, "print-assessment-slip", "/prints/assessment-slip", "打印单位缴费核定单（A4）",
		"按费款所属期（month=2025-05）打印当月核定单。"),
		printFor(c, "print.assessment_slip", c.assessmentSlipDoc))
	huma.Register(api, r.printOp(UnitAccess, "print-batch-assessment", "/prints/batch-assessment", "打印批量核定单（A4）",
		"打印一个年度（year，缺省为今年）各月的核定单汇总。"),
		printFor(c, "print.batch_assessment", c.batchAssessmentDoc))
	huma.Register(api, r.printOp(UnitAccess, "print-large-amount-insurance", "/prints/large-amount-insurance", "打印大额保险单（A4）",
		"按年度（year，缺省为今年）最近一次核定的参保职工人数打印大额医疗保险缴费单。"),
		printFor(c, "print.large_amount_insurance", c.largeAmountDoc))
	huma.Register(api, r.printOp(AnySession, "print-application-receipt", "/applications/{id}/receipt", "打印受理回执（80毫米）",
		"打印本人（或本单位）一笔申请的受理回执。"),
		printFor(c, "print.acceptance_receipt", c.receiptDoc))
}

// registerServices adds the routes that file and follow applications, the
// pension certification and the announcements.
func (r registrar) registerServices() {
	c, api := r.c, r.api
	huma.Register(api, r.op(PersonAccess, "certification", http.MethodGet, "/pension/certification", "养老待遇资格认证状态", "", 0),
		read(c, "certification.status.read", c.certificationStatus))
	huma.Register(api, r.keyed(r.op(PersonAccess, "certify", http.MethodPost, "/pension/certification", "刷脸进行养老待遇资格认证",
		"一体机摄像头采集人脸并经省电子社保卡平台人脸识别后，提交平台返回的结果令牌；由平台核验令牌，本人且通过时认证成功。本年度已认证的，返回已有的认证结果。", 0)),
		read(c, "certification.kiosk_face", c.certify))
	huma.Register(api, r.op(PersonAccess, "base-tier", http.MethodGet, "/pension/base-tier", "养老个人缴费基数档次", "灵活就业人员可选的缴费档次及每月缴费额。", 0),
		read(c, "insured.base_tier.read", c.baseTiers))
	huma.Register(api, r.keyed(r.op(PersonAccess, "change-base-tier", http.MethodPost, "/pension/base-tier", "申请修改养老个人缴费基数档次",
		"提交缴费基数档次变更申请，次月生效；由经办机构办结后生效，可在“我的办件”查看进度。", 201)),
		fileFor(c, "insured.base_tier.apply", c.changeBaseTier))
	huma.Register(api, r.op(PersonAccess, "unemployment-applications", http.MethodGet, "/unemployment/applications", "失业保险待遇申领查询", "", 0),
		read(c, "unemployment.applications.read", c.unemploymentApplications))

	huma.Register(api, r.op(UnitAccess, "assessment-form", http.MethodGet, "/unit/assessment-application", "单位月申报核定申请（填写）",
		"按最近一次核定预填本月申报人数和缴费工资总额。", 0),
		read(c, "unit.assessment_form.read", c.assessmentForm))
	huma.Register(api, r.keyed(r.op(UnitAccess, "file-assessment", http.MethodPost, "/unit/assessment-applications", "提交单位月申报核定申请", "", 201)),
		fileFor(c, "unit.assessment.apply", c.fileAssessment))

	huma.Register(api, r.op(AnySession, "applications", http.MethodGet, "/applications", "我的办件", "本人（单位查询时为本单位）在各渠道办理的业务，最新的在前。", 0),
		read(c, "applications.read", c.applications))
	huma.Register(api, r.op(AnySession, "application", http.MethodGet, "/applications/{id}", "办件进度", "", 0),
		read(c, "application.read", c.application))
	huma.Register(api, r.op(AnySession, "withdraw", http.MethodPost, "/applications/{id}/withdraw", "撤回申请", "尚未办结的申请可以撤回。", 0),
		read(c, "application.withdraw", c.withdraw))
	huma.Register(api, r.op(AnySession, "rate", http.MethodPost, "/applications/{id}/rating", "评价（好差评）",
		"受理后可评价受理服务，办结后可评价办理结果，每个环节评价一次。", 201),
		read(c, "application.rate", c.rate))

	for _, path := range []string{"/pension/certification", "/pension/base-tier", "/unit/assessment-applications"} {
		r.requireKey(path)
	}

	huma.Register(api, r.op(DeviceOnly, "announcements", http.MethodGet, "/announcements", "公告查询",
		"社保政策、法律法规、经办业务、特殊人群政策公告，可按分类和关键词查询，每页6条；无需插卡。", 0), c.announcements)
	huma.Register(api, r.op(DeviceOnly, "announcement", http.MethodGet, "/announcements/{id}", "公告详情", "", 0), c.announcementDetail)
}
