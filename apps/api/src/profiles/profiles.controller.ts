import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ProfileView } from '#queries/profiles';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ApiKeyRoutes } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { ProfileDto, UpdateProfileDto } from './profiles.dto';
import { ProfilesService } from './profiles.service';

@ApiTags('profiles')
@ApiKeyRoutes()
@Controller('v1/partners/:id/profile')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get()
  @ApiOperation({ summary: "The partner's public profile (what the Solution Finder shows) and its contact" })
  @ApiOkResponse({ type: ProfileDto })
  get(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<ProfileView> {
    return this.profiles.get(principal, id);
  }

  @Patch()
  @Roles('partner', 'admin')
  @ApiOperation({ summary: 'Change any of the profile fields and the contact; only the fields given change, with an audit event' })
  @ApiOkResponse({ type: ProfileDto })
  update(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() body: UpdateProfileDto): Promise<ProfileView> {
    return this.profiles.update(principal, id, body);
  }
}
