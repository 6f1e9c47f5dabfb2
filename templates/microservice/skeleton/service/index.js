// ${{ values.name }}: a minimal web service. Autonomous builds it into one image, deploys it
// to every environment in catalog-info.yaml and probes /healthz for readiness.
const http = require('node:http');

const port = Number(process.env.PORT || 8080);

http
  .createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('Hello from ${{ values.name }}!');
  })
  .listen(port, () => console.log(`${{ values.name }} listening on ${port}`));
