SET c—–š‘‹ š‘coding = 'LATIN1'
