-- answers were stored in clear (with access and refresh tokens); they are sealed from now on (issue 17)
DELETE FROM request_log;
