package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/db/dbtest"
)

func TestWebSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.Open(t)
	store := d.WebSessions()
	key := []byte{1, 2, 3, 250}

	got, err := store.LoadSession(ctx, key)
	require.NoError(t, err)
	require.Nil(t, got, "no session yet")

	require.NoError(t, store.SaveSession(ctx, key, []byte("sealed one"), time.Now().Add(time.Hour)))
	require.NoError(t, store.SaveSession(ctx, key, []byte("sealed two"), time.Now().Add(time.Hour)))
	got, err = store.LoadSession(ctx, key)
	require.NoError(t, err)
	require.Equal(t, []byte("sealed two"), got, "a save replaces")

	t.Run("an expired session is not read and goes at the next save", func(t *testing.T) {
		old := []byte("old")
		require.NoError(t, store.SaveSession(ctx, old, []byte("x"), time.Now().Add(-time.Second)))
		got, err := store.LoadSession(ctx, old)
		require.NoError(t, err)
		require.Nil(t, got)
		require.NoError(t, store.SaveSession(ctx, []byte("new"), []byte("y"), time.Now().Add(time.Hour)))
		var n int64
		require.NoError(t, d.Gorm().Raw(`SELECT COUNT(*) FROM web_sessions WHERE session_key = '6f6c64'`).Scan(&n).Error)
		require.Zero(t, n)
	})
	t.Run("a deleted session is gone", func(t *testing.T) {
		require.NoError(t, store.DeleteSession(ctx, key))
		require.NoError(t, store.DeleteSession(ctx, key))
		got, err := store.LoadSession(ctx, key)
		require.NoError(t, err)
		require.Nil(t, got)
	})
}
