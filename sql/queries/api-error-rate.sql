-- name: api-error-rate
-- description: API requests, errors (status >= 400) and server errors (>= 500) over the last N hours.
-- checks: request_response_log
-- range: [end - N h, end), where end is the end of the hour of the newest loaded request (the loaded
--   window, not the wall clock) and N the suite's lastHours; both bounds computed by the client.
-- params: $1 from timestamptz, $2 to timestamptz
SELECT count(*) AS requests,
       count(*) FILTER (WHERE status_code >= 400) AS errors,
       count(*) FILTER (WHERE status_code >= 500) AS server_errors,
       round(100.0 * count(*) FILTER (WHERE status_code >= 400) / nullif(count(*), 0), 2) AS error_pct
FROM {{schema}}.request_response_log
WHERE event_time >= $1 AND event_time < $2
