-- The UPDATE masking staging refreshes run today after a restore, doing what
-- examples/masking.example.toml does (bench-mask.sh and bench-sync.sh).
UPDATE users SET email = 'user_' || id || '@test.example.com',
  name = CASE WHEN name IS NOT NULL THEN 'Test User ' || id END,
  phone = CASE WHEN phone IS NOT NULL THEN '+1 555 ' || lpad((id % 10000000)::text, 7, '0') END,
  image = NULL;
UPDATE accounts SET provider_account_id = 'masked_' || id,
  refresh_token = CASE WHEN refresh_token IS NOT NULL THEN md5(random()::text) END,
  access_token = CASE WHEN access_token IS NOT NULL THEN md5(random()::text) END,
  id_token = CASE WHEN id_token IS NOT NULL THEN md5(random()::text) END,
  oauth_token = CASE WHEN oauth_token IS NOT NULL THEN md5(random()::text) END,
  oauth_token_secret = CASE WHEN oauth_token_secret IS NOT NULL THEN 'masked_secret_' || id END,
  session_state = NULL;
UPDATE sessions SET session_token = md5(random()::text);
UPDATE verification_tokens SET identifier = md5(identifier), token = md5(random()::text);
