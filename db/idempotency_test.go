package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

func TestClaimIdempotencyKey(t *testing.T) {
	d, ctx := dbtest.Open(t), context.Background()
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	same, err := d.ClaimIdempotencyKey(ctx, "k1", "r1", at)
	require.NoError(t, err)
	require.True(t, same, "a new key is the request's own")
	same, err = d.ClaimIdempotencyKey(ctx, "k1", "r1", at.Add(time.Minute))
	require.NoError(t, err)
	require.True(t, same, "a retry with the same request")
	same, err = d.ClaimIdempotencyKey(ctx, "k1", "r2", at.Add(time.Minute))
	require.NoError(t, err)
	require.False(t, same, "the key reused with another request")
	require.NoError(t, d.ReleaseIdempotencyKey(ctx, "k1", "r2"), "another request's release changes nothing")
	same, err = d.ClaimIdempotencyKey(ctx, "k1", "r2", at.Add(time.Minute))
	require.NoError(t, err)
	require.False(t, same)
	require.NoError(t, d.ReleaseIdempotencyKey(ctx, "k1", "r1"))
	same, err = d.ClaimIdempotencyKey(ctx, "k1", "r2", at.Add(time.Minute))
	require.NoError(t, err)
	require.True(t, same, "a released key is free for a corrected request")
	same, err = d.ClaimIdempotencyKey(ctx, "k1", "r3", at.Add(db.IdempotencyKeyKept+time.Hour))
	require.NoError(t, err)
	require.True(t, same, "a key older than it is kept is forgotten")
}
