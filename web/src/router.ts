import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { session, type Role } from './session/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** The page's heading, document title and menu label. */
    title: string;
    /** Who sees the page; the API enforces the same regardless of the app. */
    roles: Role[];
    /** Shown in the main menu; a detail page names the menu entry it belongs under instead. */
    menu?: boolean;
    menuItem?: string;
  }
}

const CHIEF: Role[] = ['ASSOCIATION_CHIEF'];
const ADMIN: Role[] = ['ADMIN'];

/** Every page, grouped by the feature folder that owns it; each loads when first opened. */
export const routes: RouteRecordRaw[] = [
  // Chief (förbundschef)
  {
    path: '/inkorg',
    name: 'inbox',
    component: () => import('./features/handovers/InboxPage.vue'),
    meta: { title: 'Inkorg', roles: CHIEF, menu: true },
  },
  {
    path: '/overlamningar/:id',
    name: 'handover',
    component: () => import('./features/handovers/HandoverPage.vue'),
    props: true,
    meta: { title: 'Överlämning', roles: [...CHIEF, ...ADMIN], menuItem: 'inbox' },
  },
  {
    path: '/uppfoljning',
    name: 'follow-ups',
    component: () => import('./features/follow-ups/FollowUpsPage.vue'),
    meta: { title: 'Uppföljning', roles: CHIEF, menu: true },
  },
  {
    path: '/uppfoljning/:id',
    name: 'follow-up',
    component: () => import('./features/follow-ups/FollowUpPage.vue'),
    props: true,
    meta: { title: 'Rapportera uppföljning', roles: CHIEF, menuItem: 'follow-ups' },
  },
  {
    path: '/planer/:id/uppfoljning',
    name: 'plan-history',
    component: () => import('./features/follow-ups/PlanHistoryPage.vue'),
    props: true,
    meta: { title: 'Uppföljning av planen', roles: [...CHIEF, ...ADMIN], menuItem: 'follow-ups' },
  },
  // Administrator (nationell administratör)
  {
    path: '/att-fordela',
    name: 'resolution-cases',
    component: () => import('./features/resolutions/ResolutionQueuePage.vue'),
    meta: { title: 'Att fördela', roles: ADMIN, menu: true },
  },
  {
    path: '/att-fordela/:id',
    name: 'resolution-case',
    component: () => import('./features/resolutions/ResolutionCasePage.vue'),
    props: true,
    meta: { title: 'Fördela kommun', roles: ADMIN, menuItem: 'resolution-cases' },
  },
  {
    path: '/leveranser',
    name: 'deliveries',
    component: () => import('./features/deliveries/DeliveriesPage.vue'),
    meta: { title: 'Leveranser', roles: ADMIN, menu: true },
  },
  {
    path: '/samordningsforbund',
    name: 'associations',
    component: () => import('./features/associations/AssociationsPage.vue'),
    meta: { title: 'Samordningsförbund', roles: ADMIN, menu: true },
  },
  {
    path: '/samordningsforbund/:id',
    name: 'association',
    component: () => import('./features/associations/AssociationPage.vue'),
    props: true,
    meta: { title: 'Samordningsförbund', roles: ADMIN, menuItem: 'associations' },
  },
  {
    path: '/synkroniseringar',
    name: 'sync-runs',
    component: () => import('./features/sync-runs/SyncRunsPage.vue'),
    meta: { title: 'Synkroniseringar', roles: ADMIN, menu: true },
  },
  {
    path: '/aterrapportering',
    name: 'national-report',
    component: () => import('./features/reports/NationalReportPage.vue'),
    meta: { title: 'Återrapportering', roles: ADMIN, menu: true },
  },
  {
    path: '/anvandare',
    name: 'users',
    component: () => import('./features/users/UsersPage.vue'),
    meta: { title: 'Användare', roles: ADMIN, menu: true },
  },
  {
    path: '/granskning',
    name: 'audit',
    component: () => import('./features/audit/AuditPage.vue'),
    meta: { title: 'Granskningslogg', roles: ADMIN, menu: true },
  },
  // Everyone
  {
    path: '/',
    name: 'home',
    component: () => import('./features/home/NoPagesPage.vue'),
    meta: { title: 'KUR-överlämning', roles: [] },
  },
  {
    path: '/:unknown(.*)*',
    name: 'not-found',
    component: () => import('./features/home/NotFoundPage.vue'),
    meta: { title: 'Sidan finns inte', roles: [] },
  },
];

/** The first page of each role; a role without pages (a coordinator, a system) gets an explanation. */
const HOME: Partial<Record<Role, string>> = { ASSOCIATION_CHIEF: 'inbox', ADMIN: 'resolution-cases' };

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach((to) => {
  const home = session.me && HOME[session.me.role];
  if (to.name === 'home') return home ? { name: home } : true;
  const allowed = to.meta.roles.length === 0 || (session.me && to.meta.roles.includes(session.me.role));
  return allowed ? true : { name: home ?? 'home' };
});

router.afterEach((to) => {
  document.title = `${to.meta.title} – KUR-överlämning`;
});
