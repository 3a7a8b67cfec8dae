import { Module } from '@nestjs/common';
import { PointsController } from './points.controller';
import { PointsService } from './points.service';

@Module({ controllers: [PointsController], providers: [PointsService] })
export class PointsModule {}
