import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import autonomousPlugin from '@autonomous-dev/backstage-plugin-autonomous/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { authModule } from './modules/auth';

export default createApp({
  features: [
    catalogPlugin,
    autonomousPlugin,
    navModule,
    homeModule,
    authModule,
  ],
});
