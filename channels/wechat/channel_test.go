package wechat_test

import "testing"

// TestWeChatChannel runs the channel's suites on one harness: the WeChat
// client is one per process (see harness_test.go), and starting the
// simulators and the database is the slow part. Each suite uses people and
// openids of its own.
func TestWeChatChannel(t *testing.T) {
	h := start(t)
	t.Run("scripted session", func(t *testing.T) { testScriptedSession(t, h) })
	t.Run("binding", func(t *testing.T) { testBinding(t, h) })
	t.Run("own and relatives' data only", func(t *testing.T) { testOwnAndRelativesOnly(t, h) })
	t.Run("callback", func(t *testing.T) { testCallback(t, h) })
	t.Run("H5 pages", func(t *testing.T) { testH5Pages(t, h) })
	t.Run("rate limits", func(t *testing.T) { testRateLimit(t, h) })
}
