package sim

import (
	"html/template"
	"net/http"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/payment"
)

// PathCashier + channel order number is an order's pay page (H5 收银台).
const PathCashier = "/cashier/"

// cashierPage is the simulated bank's pay page: the order, and one button
// per outcome, which settle it through the admin endpoint.
var cashierPage = template.Must(template.New("cashier").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>模拟缴费收银台</title>
<style>
body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#222}
.amount{font-size:2rem;margin:1rem 0}
button{font-size:1.1rem;padding:.8rem;width:100%;margin:.4rem 0;border:0;border-radius:.4rem;color:#fff}
.paid{background:#1a7f37}.failed{background:#b42318}
</style></head><body>
<h1>模拟缴费收银台</h1>
<p>{{.Description}}</p>
<p class="amount">¥{{.Yuan}}</p>
<p>渠道订单号：{{.ChannelOrderNo}}</p>
{{if .Pending}}
<button class="paid" onclick="pay('paid')">模拟支付成功</button>
<button class="failed" onclick="pay('failed')">模拟支付失败</button>
{{end}}
<p id="result">{{.StatusText}}</p>
<script>
async function pay(outcome) {
  const r = await fetch({{.PayPath}}, {method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify({outcome})});
  document.getElementById("result").textContent = r.ok
    ? (outcome === "paid" ? "支付成功，请返回APP查看缴费结果" : "支付失败，请返回APP重新缴费")
    : "操作失败：" + r.status;
  document.querySelectorAll("button").forEach(b => b.remove());
}
</script>
</body></html>
`))

// cashierView is what the page shows of an order.
type cashierView struct {
	Description, Yuan, ChannelOrderNo, StatusText, PayPath string
	Pending                                                bool
}

// statusText is the page's line for a settled order.
var statusText = map[string]string{payment.StatusPaid: "该订单已支付", payment.StatusFailed: "该订单支付失败"}

func (s *Sim) cashier(w http.ResponseWriter, r *http.Request) {
	o, ok := s.find(r.PathValue("no"))
	if !ok {
		http.Error(w, "订单不存在", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	cashierPage.Execute(w, cashierView{
		Description: o.Description, Yuan: domain.Fen(o.Amount).Yuan(), ChannelOrderNo: o.ChannelOrderNo,
		StatusText: statusText[o.Status], Pending: o.Status == payment.StatusPending,
		PayPath: "/_admin/orders/" + o.ChannelOrderNo + "/pay",
	})
}
