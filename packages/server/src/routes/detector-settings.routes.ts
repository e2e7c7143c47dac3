/**
 * Behavioural detector settings of a tenant: each detector's thresholds, on or off, and its
 * allow-list. Reading is for anyone who reads the tenant; changes are for analysts and above,
 * journalled, and take effect on the tenant's next batch.
 */
import {
  CreateDetectorAllowEntryRequest,
  DetectorAllowEntryView,
  DetectorAllowKeyQuery,
  DetectorParams,
  DetectorSettingsView,
  TenantParams,
  UpdateDetectorSettingsRequest,
} from '@cordon/protocol';
import type { DetectorAllowEntry, DetectorSettings, DetectorSettingsService } from '@cordon/core';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../http/authentication.ts';
import { iso, isoOrNull } from '../http/views.ts';
import type { App } from './route-context.ts';

const tags = ['detection'];

const settingsView = (s: DetectorSettings): DetectorSettingsView => ({
  detector: s.detector,
  description: s.description,
  enabled: s.enabled,
  thresholds: { ...s.thresholds },
  overrides: { ...s.overrides },
  defaults: { ...s.defaults },
  maxima: { ...s.maxima },
  documentation: { ...s.documentation },
  allowListed: s.allowListed,
  updatedBy: s.updatedBy,
  updatedAt: isoOrNull(s.updatedAt),
});

const allowEntryView = (e: DetectorAllowEntry): DetectorAllowEntryView => ({
  detector: e.detector,
  key: e.key,
  reason: e.reason,
  alertId: e.alertId,
  createdBy: e.createdBy,
  createdAt: iso(e.createdAt),
});

export function detectorSettingsRoutes(app: App, settings: DetectorSettingsService): void {
  const base = '/api/v1/tenants/:tenantId/detection/detectors';

  app.get(
    base,
    { schema: { tags, params: TenantParams, response: { 200: Type.Array(DetectorSettingsView) } } },
    async (request) =>
      (await settings.list(principalOf(request), request.params.tenantId)).map(settingsView),
  );

  app.get(
    `${base}/:detector`,
    { schema: { tags, params: DetectorParams, response: { 200: DetectorSettingsView } } },
    async (request) =>
      settingsView(
        await settings.get(principalOf(request), request.params.tenantId, request.params.detector),
      ),
  );

  app.put(
    `${base}/:detector`,
    {
      schema: {
        tags,
        params: DetectorParams,
        body: UpdateDetectorSettingsRequest,
        response: { 200: DetectorSettingsView },
      },
    },
    async (request) =>
      settingsView(
        await settings.update(
          principalOf(request),
          request.params.tenantId,
          request.params.detector,
          request.body,
        ),
      ),
  );

  app.get(
    `${base}/:detector/allow-list`,
    {
      schema: {
        tags,
        params: DetectorParams,
        response: { 200: Type.Array(DetectorAllowEntryView) },
      },
    },
    async (request) =>
      (
        await settings.allowList(
          principalOf(request),
          request.params.tenantId,
          request.params.detector,
        )
      ).map(allowEntryView),
  );

  app.post(
    `${base}/:detector/allow-list`,
    {
      schema: {
        tags,
        params: DetectorParams,
        body: CreateDetectorAllowEntryRequest,
        response: { 201: DetectorAllowEntryView },
      },
    },
    async (request, reply) => {
      const entry = await settings.allow(
        principalOf(request),
        request.params.tenantId,
        request.params.detector,
        request.body,
      );
      return reply.status(201).send(allowEntryView(entry));
    },
  );

  app.delete(
    `${base}/:detector/allow-list`,
    { schema: { tags, params: DetectorParams, querystring: DetectorAllowKeyQuery } },
    async (request, reply) => {
      await settings.removeAllowed(
        principalOf(request),
        request.params.tenantId,
        request.params.detector,
        request.query.key,
      );
      return reply.status(204).send();
    },
  );
}
