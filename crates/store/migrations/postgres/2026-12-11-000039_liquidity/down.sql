DROP TABLE liquidity_snapshots;
