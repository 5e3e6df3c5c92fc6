package province

import "github.com/dandong-hrss/hrss/domain"

// The failure reasons (the envelope's code) the platforms answer with, beyond
// the generic ones every signed API has. The client turns each into the
// domain error whose message tells the citizen what to do; a reason it does
// not know falls back to what its HTTP status means.
const (
	ReasonInvalidParameter = "INVALID_PARAMETER" // 400
	ReasonAppNotFound      = "APP_NOT_FOUND"     // 401
	ReasonSignatureInvalid = "SIGNATURE_INVALID" // 401
	ReasonSystemError      = "SYSTEM_ERROR"      // 500

	ReasonRequestIDReused    = "REQUEST_ID_REUSED"    // 409: the id was used for another filing
	ReasonTransferInProgress = "TRANSFER_IN_PROGRESS" // 409: the person already has one open
	ReasonTransferNotFound   = "TRANSFER_NOT_FOUND"   // 404

	ReasonPersonNotFound     = "PERSON_NOT_FOUND"     // 404
	ReasonNameMismatch       = "NAME_MISMATCH"        // 422
	ReasonCardNotFound       = "CARD_NOT_FOUND"       // 404: no card signed yet
	ReasonQRNotFound         = "QR_NOT_FOUND"         // 404
	ReasonQRUsed             = "QR_USED"              // 409
	ReasonQRExpired          = "QR_EXPIRED"           // 410
	ReasonFaceTokenNotFound  = "FACE_TOKEN_NOT_FOUND" // 404
	ReasonFaceTokenUsed      = "FACE_TOKEN_USED"      // 409
	ReasonFaceTokenExpired   = "FACE_TOKEN_EXPIRED"   // 410
	ReasonLivenessMissing    = "LIVENESS_MISSING"     // 400
	ReasonLivenessReplayed   = "LIVENESS_REPLAYED"    // 409: the same capture sent twice
	ReasonCallbackURLInvalid = "CALLBACK_URL_INVALID" // 400
)

// reason is what one platform reason means to a citizen.
type reason struct {
	code    domain.Code
	message string
}

// reasons are the platform reasons the client translates itself.
var reasons = map[string]reason{
	ReasonRequestIDReused:    {domain.Conflict, "该申请流水号已用于另一笔转移申请，请重新提交"},
	ReasonTransferInProgress: {domain.Conflict, "您已有一笔该险种正在办理的转移申请，请等待办结后再申请"},
	ReasonTransferNotFound:   {domain.NotFound, "未查询到该转移申请，请核对转移编号"},
	ReasonPersonNotFound:     {domain.NotFound, "省电子社保卡平台未查询到您的参保信息，请到服务大厅核实"},
	ReasonNameMismatch:       {domain.Rejected, "姓名与身份证号码不一致，请核对后重试"},
	ReasonCardNotFound:       {domain.NotFound, "您尚未领取电子社保卡，请先在丹东智慧人社APP中签发"},
	ReasonQRNotFound:         {domain.NotFound, "二维码无效，请出示电子社保卡二维码"},
	ReasonQRUsed:             {domain.Rejected, "二维码已使用，请刷新电子社保卡二维码后重新出示"},
	ReasonQRExpired:          {domain.Rejected, "二维码已过期，请刷新电子社保卡二维码后重新出示"},
	ReasonFaceTokenNotFound:  {domain.NotFound, "未查询到人脸识别结果，请重新进行人脸识别"},
	ReasonFaceTokenUsed:      {domain.Rejected, "人脸识别结果已使用，请重新进行人脸识别"},
	ReasonFaceTokenExpired:   {domain.Rejected, "人脸识别结果已过期，请重新进行人脸识别"},
	ReasonLivenessMissing:    {domain.Invalid, "未采集到人脸信息，请正对摄像头重新识别"},
	ReasonLivenessReplayed:   {domain.Rejected, "人脸信息已使用，请重新进行人脸识别"},
}
