CREATE DELIVERY STREAM clicks_to_lake
  FROM clicks
  TO S3 (bucket = 'lake',
         prefix = 'clicks/!{timestamp:yyyy/MM/dd/HH}/',
         error_output_prefix = 'errors/!{firehose:error-output-type}/')
  WITH (buffer_size = '5 MB', buffer_interval = '60 seconds',
        format = 'jsonl',
        compression = 'gzip',
        backup =ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ 'failed');
