package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/redis/go-redis/v9"
)

// baseline is the yardstick the BFF is measured against on the same
// machine in the same run: a minimal Fiber handler that does one Redis GET
// and nothing else — no auth, no limiter, no logging. The BFF's hottest
// authenticated query is reported as a share of its throughput.
type baseline struct {
	app   *fiber.App
	rdb   *redis.Client
	addr  string
	value string
}

func startBaseline(redisAddr string) (*baseline, error) {
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, PoolSize: 256})
	ctx := context.Background()
	if err := rdb.Set(ctx, "loadtest:baseline", `{"status":"参保缴费","base":"5,000.00"}`, 0).Err(); err != nil {
		return nil, fmt.Errorf("baseline needs Redis at %s: %w", redisAddr, err)
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/baseline", func(c *fiber.Ctx) error {
		v, err := rdb.Get(c.UserContext(), "loadtest:baseline").Result()
		if err != nil {
			return c.SendStatus(http.StatusInternalServerError)
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.SendString(v)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go app.Listener(ln)
	return &baseline{app: app, rdb: rdb, addr: ln.Addr().String()}, nil
}

func (b *baseline) source() Source {
	url := "http://" + b.addr + "/baseline"
	return func() Request { return Request{Route: "GET /baseline", Method: "GET", URL: url} }
}

func (b *baseline) close() {
	b.app.ShutdownWithTimeout(2 * time.Second) // vegeta keeps idle connections open
	b.rdb.Close()
}
